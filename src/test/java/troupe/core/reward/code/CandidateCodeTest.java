package troupe.core.reward.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import troupe.core.reward.code.CodeExecutionSettings.Block;

class CandidateCodeTest {

    @Test
    void picksTheLastOrFirstPythonBlock() {
        String r = "First:\n```python\na = 1\n```\nthen\n```py\na = 2\n```\nand a shell line\n```bash\nls\n```\n";
        assertEquals("a = 2\n", CandidateCode.extract(r, Block.LAST));
        assertEquals("a = 1\n", CandidateCode.extract(r, Block.FIRST));
    }

    @Test
    void fallsBackToUntaggedBlocksThenToTheWholeText() {
        assertEquals("b = 1\n", CandidateCode.extract("```\nb = 1\n```\n```bash\nls\n```", Block.LAST));
        assertEquals("c = 3", CandidateCode.extract("c = 3", Block.LAST));
        assertEquals("echo\n", CandidateCode.extract("```\necho\n```", Block.FIRST));
        String onlyShell = "```bash\nls\n```";
        assertEquals(onlyShell, CandidateCode.extract(onlyShell, Block.LAST));
    }

    @Test
    void blockLeftOpenByATruncatedResponseRunsToTheEnd() {
        assertEquals("def f():\n    return", CandidateCode.extract("```python\ndef f():\n    return", Block.LAST));
    }

    @Test
    void testsAreAJsonListOfStatements() {
        assertEquals(List.of("assert f(1) == 2", "x = 1"),
                CandidateCode.tests(Map.of("tests", "[\"assert f(1) == 2\", \"x = 1\"]"), "tests", 0));
        assertEquals("sample 3: field 'cases' must be a non-empty JSON list of test statements",
                assertThrows(IllegalArgumentException.class,
                        () -> CandidateCode.tests(Map.of("cases", "[]"), "cases", 3)).getMessage());
        assertEquals("sample 1: field 'tests' must be a non-empty JSON list of test statements",
                assertThrows(IllegalArgumentException.class,
                        () -> CandidateCode.tests(Map.of("tests", "\"assert True\""), "tests", 1)).getMessage());
    }
}
