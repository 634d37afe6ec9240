package troupe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders k8s/base and every overlay with {@code kubectl kustomize} (offline) and checks the
 * objects as Kubernetes API types: probes, labels against selectors, RBAC for discovery, pinned
 * images, GPUs only where intended, and the bootstrap label the shipped kubernetes shape queries.
 */
class KubernetesManifestsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final List<String> ROLES = List.of("learner", "generator", "reward", "reference");
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String COMPONENT = "app.kubernetes.io/component";

    static List<HasMetadata> render(String dir) throws IOException, InterruptedException {
        Path kubectl = Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed");
        Process p = new ProcessBuilder(kubectl.toString(), "kustomize", ROOT.resolve(dir).toString())
                .redirectErrorStream(true).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " hung");
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ":\n" + yaml);
        KubernetesSerialization serialization = new KubernetesSerialization();
        return Arrays.stream(yaml.split("(?m)^---$")).filter(d -> !d.isBlank())
                .map(d -> (HasMetadata) serialization.unmarshal(d)).toList();
    }

    static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static Container troupe(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("troupe")).findFirst().orElseThrow();
    }

    static String component(Deployment d) {
        return d.getSpec().getSelector().getMatchLabels().get(COMPONENT);
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/cpu-demo", "k8s/overlays/gpu"})
    void everyRoleIsADeploymentWithProbesPinnedImageAndItsOwnSelector(String dir) throws Exception {
        List<Deployment> deployments = all(render(dir), Deployment.class);
        assertEquals(Set.copyOf(ROLES), deployments.stream().map(KubernetesManifestsTest::component)
                .collect(Collectors.toSet()), "one Deployment per role, distinct selectors");
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(selects(d.getSpec().getSelector().getMatchLabels(), labels), name + ": selector vs pod labels");
            assertEquals("troupe", labels.get(PART_OF), name + ": shared bootstrap label");
            Container c = troupe(d);
            assertEquals(List.of("--role", component(d)), c.getArgs().subList(0, 2), name + " args");
            assertProbe(c.getReadinessProbe(), "/ready", name);
            assertProbe(c.getLivenessProbe(), "/alive", name);
            assertTrue(c.getPorts().stream().anyMatch(p -> p.getName().equals("management")
                    && p.getContainerPort() == 8558), name + ": container port 'management' 8558");
            int bulk = ConfigFactory.parseFile(ROOT.resolve("cluster-config/shapes/kubernetes.conf").toFile())
                    .getInt("troupe.bulk.port");
            assertTrue(c.getPorts().stream().anyMatch(p -> p.getName().equals("bulk") && p.getContainerPort() == bulk),
                    name + ": container port 'bulk' " + bulk + " as troupe.bulk.port in the kubernetes shape");
            String image = c.getImage();
            String tag = image.substring(image.lastIndexOf(':') + 1);
            assertTrue(image.contains(":") && !tag.isBlank() && !tag.equals("latest"), name + ": unpinned " + image);
            assertEquals("status.podIP", env(c, "POD_IP").getValueFrom().getFieldRef().getFieldPath(), name);
            assertEquals("token", env(c, "TROUPE_TOKEN").getValueFrom().getSecretKeyRef().getKey(), name);
            assertEquals("bulk-secret", env(c, "TROUPE_BULK_SECRET").getValueFrom().getSecretKeyRef().getKey(), name);
            assertEquals("troupe", d.getSpec().getTemplate().getSpec().getServiceAccountName(), name);
            assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), name);
            // coordinated shutdown: default-phase-timeout (10 s) × the few phases that do work
            assertTrue(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() >= 60, name);
        }
        Deployment learner = deployments.stream().filter(d -> component(d).equals("learner")).findFirst().orElseThrow();
        assertEquals(1, learner.getSpec().getReplicas());
        assertEquals("Recreate", learner.getSpec().getStrategy().getType());
    }

    static void assertProbe(Probe probe, String path, String name) {
        assertNotNull(probe, name + ": no probe for " + path);
        assertEquals(path, probe.getHttpGet().getPath(), name);
        assertEquals("management", probe.getHttpGet().getPort().getStrVal(), name);
    }

    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/cpu-demo", "k8s/overlays/gpu"})
    void servicesBudgetsAndRbacMatchThePods(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);
        List<Map<String, String>> pods = all(objects, Deployment.class).stream()
                .map(d -> d.getSpec().getTemplate().getMetadata().getLabels()).toList();
        for (Service s : all(objects, Service.class)) {
            assertTrue(pods.stream().anyMatch(l -> selects(s.getSpec().getSelector(), l)),
                    s.getMetadata().getName() + " selects no pod");
        }
        Service learner = service(objects, "troupe-learner");
        assertEquals(Set.of(7070, 8080), learner.getSpec().getPorts().stream().map(p -> p.getPort())
                .collect(Collectors.toSet()));
        Service management = service(objects, "troupe-management");
        assertEquals("None", management.getSpec().getClusterIP());
        assertEquals(8558, management.getSpec().getPorts().get(0).getPort());
        assertEquals(4, pods.stream().filter(l -> selects(management.getSpec().getSelector(), l)).count());
        List<PodDisruptionBudget> budgets = all(objects, PodDisruptionBudget.class);
        assertEquals(4, budgets.size());
        for (PodDisruptionBudget b : budgets) {
            assertEquals(1, pods.stream().filter(l -> selects(b.getSpec().getSelector().getMatchLabels(), l)).count(),
                    b.getMetadata().getName() + " must select exactly one role");
        }
        Role role = all(objects, Role.class).get(0);
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods")
                && r.getVerbs().containsAll(List.of("get", "watch", "list"))), "pod reader rule");
        RoleBinding binding = all(objects, RoleBinding.class).get(0);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals("troupe", binding.getSubjects().get(0).getName());
    }

    static Service service(List<HasMetadata> objects, String name) {
        return all(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/cpu-demo", "k8s/overlays/gpu"})
    void configMapCarriesEveryClusterConfigFileMountedWhereTheNodeLoadsIt(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);
        ConfigMap cm = all(objects, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("troupe-cluster-config")).findFirst().orElseThrow();
        Set<String> files;
        try (Stream<Path> walk = Files.walk(ROOT.resolve("cluster-config"))) {
            files = walk.filter(f -> f.toString().endsWith(".conf"))
                    .map(f -> ROOT.resolve("cluster-config").relativize(f).toString()).collect(Collectors.toSet());
        }
        for (Deployment d : all(objects, Deployment.class)) {
            var volume = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(cm.getMetadata().getName()))
                    .findFirst().orElseThrow();
            // NodeConfig reads cluster-config/<path> from the classpath; /app/resources comes first on it
            assertEquals(files, volume.getConfigMap().getItems().stream().map(i -> i.getPath()).collect(Collectors.toSet()));
            volume.getConfigMap().getItems().forEach(i -> assertTrue(cm.getData().containsKey(i.getKey()), i.getKey()));
            assertTrue(troupe(d).getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume.getName())
                    && m.getMountPath().equals("/app/resources/cluster-config")));
        }
        // Cluster Bootstrap's pod query (shapes/kubernetes.conf) matches the label every pod carries.
        Config shape = ConfigFactory.parseString(cm.getData().get("shape-kubernetes.conf")).resolve();
        String selector = shape.getString("pekko.discovery.kubernetes-api.pod-label-selector")
                .formatted(shape.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
        assertEquals(PART_OF + "=troupe", selector);
        assertEquals("management", shape.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/cpu-demo", "k8s/overlays/gpu"})
    void gpusOnlyForPolicyHoldingRolesOfTheGpuOverlay(String dir) throws Exception {
        Set<String> expected = dir.endsWith("gpu") ? Set.of("generator", "learner", "reference") : Set.of();
        for (Deployment d : all(render(dir), Deployment.class)) {
            Map<String, Quantity> limits = troupe(d).getResources().getLimits();
            boolean gpu = limits != null && limits.containsKey("nvidia.com/gpu");
            assertEquals(expected.contains(component(d)), gpu, d.getMetadata().getName() + " GPU limit");
            var spec = d.getSpec().getTemplate().getSpec();
            assertEquals(gpu, spec.getTolerations() != null && !spec.getTolerations().isEmpty(), "tolerations");
            assertEquals(gpu, spec.getNodeSelector() != null && !spec.getNodeSelector().isEmpty(), "nodeSelector");
            assertEquals(dir.endsWith("gpu"), troupe(d).getImage().endsWith("-cu128"), "CUDA image tag");
        }
        assertFalse(expected.contains("reward"));
    }
}
