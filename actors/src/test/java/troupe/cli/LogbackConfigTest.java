package troupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class LogbackConfigTest {

    /** A malformed logback.xml makes every CLI command print a parser stack trace on start-up. */
    @Test
    void shippedLogbackConfigIsWellFormedXml() throws Exception {
        try (InputStream in = Main.class.getResourceAsStream("/logback.xml")) {
            assertNotNull(in, "logback.xml on the classpath");
            assertEquals("configuration",
                    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement().getTagName());
        }
    }
}
