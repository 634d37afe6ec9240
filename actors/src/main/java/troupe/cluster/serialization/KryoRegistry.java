package troupe.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.objenesis.strategy.StdInstantiatorStrategy;

/** Builds a Kryo with Troupe's fixed registrations. */
final class KryoRegistry {
    /** Ids below this are Kryo's own (primitives, String, ...); ours follow in list order. */
    private static final int FIRST_ID = 100;

    private KryoRegistry() {}

    static Kryo newKryo(ExtendedActorSystem system, List<String> classNames) {
        Kryo kryo = new Kryo(new RegisteredOnly(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // records and final classes without no-arg constructors
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        // List.of / Set.of / Map.of implementations, at Kryo's next free ids (deterministic)
        ImmutableCollectionsSerializers.registerSerializers(kryo);
        // Typed refs are ActorRefAdapter instances in a classic-backed system (local or remote);
        // registering the concrete class keeps registration-required mode.
        kryo.register(org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter.class,
                new TypedActorRefSerializer(resolver), 99);

        int id = FIRST_ID;
        for (Class<?> c : List.of(int[].class, long[].class, float[].class, double[].class, boolean[].class,
                byte[].class, String[].class, float[][].class, int[][].class, ArrayList.class, HashMap.class,
                LinkedHashMap.class)) {
            if (c.getComponentType() != null && !c.getComponentType().isPrimitive()) {
                kryo.register(c, new ArraySerializer(), id++); // checks the announced length first
            } else {
                kryo.register(c, id++);
            }
        }
        for (String name : classNames) {
            Class<?> c = load(name);
            if (c == troupe.core.rollout.Sample.class) {
                kryo.register(c, new SampleSerializer(), id++);
            } else {
                kryo.register(c, id++);
            }
        }
        return kryo;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, KryoRegistry.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("troupe.serialization.kryo-classes: no class " + name, e);
        }
    }

    /**
     * Reads classes by registered id only. Kryo's resolver also accepts a class by name from the
     * wire even with registration required, and then failed with an NPE (found by fuzzing); Troupe
     * never writes names, so a name is a broken or forged frame.
     */
    private static final class RegisteredOnly extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("a class given by name: Troupe's encoding carries registered class ids only");
        }
    }

    /** Typed actor refs travel as their serialization format and resolve on the receiving node. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class TypedActorRefSerializer extends Serializer {
        private final ActorRefResolver resolver;

        TypedActorRefSerializer(ActorRefResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        public void write(Kryo kryo, Output output, Object ref) {
            output.writeString(resolver.toSerializationFormat((ActorRef<?>) ref));
        }

        @Override
        public Object read(Kryo kryo, Input input, Class type) {
            return resolver.resolveActorRef(input.readString());
        }
    }
}
