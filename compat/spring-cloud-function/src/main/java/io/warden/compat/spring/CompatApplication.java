package io.warden.compat.spring;

import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The application FunctionInvoker starts (MAIN_CLASS); its one function takes the event and answers. */
@SpringBootApplication
public class CompatApplication {

    @Bean
    public Function<Map<String, String>, String> order() {
        return event -> "spring-cloud-function = " + event.get("value");
    }
}
