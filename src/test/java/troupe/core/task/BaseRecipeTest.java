package troupe.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import troupe.core.model.train.ModelInit;

class BaseRecipeTest {

    @Test
    void everyBuiltInTaskHasATunedRecipeWithAValidInitSpec() {
        for (String task : TaskRegistry.names()) {
            BaseRecipe r = BaseRecipe.forTask(task);
            assertNotEquals(BaseRecipe.fallback(), r, task);
            ModelInit.parse(r.init());
        }
    }

    @Test
    void unknownTaskGetsTheFallbackAndNonsenseIsRefused() {
        assertEquals(BaseRecipe.fallback(), BaseRecipe.forTask("chess"));
        assertThrows(IllegalArgumentException.class, () -> new BaseRecipe("demo", 10, 0, 8, 1e-3, 0, 0L));
    }
}
