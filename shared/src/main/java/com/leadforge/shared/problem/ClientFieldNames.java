package com.leadforge.shared.problem;

import java.lang.reflect.Field;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.QueryParam;

/**
 * Makes validation problems name fields the way clients send them: a query parameter by its {@code @QueryParam} name
 * ({@code pageSize}), a body field as the service's JSON spells it ({@code target_audience} when the service writes
 * snake_case), never the Java name ({@code targetAudience}).
 */
@ApplicationScoped
public class ClientFieldNames implements ValidatorFactoryCustomizer {

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        boolean snakeCase = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.jackson.property-naming-strategy", String.class)
                .map(strategy -> strategy.equalsIgnoreCase("SNAKE_CASE")
                        || strategy.endsWith("SnakeCaseStrategy"))
                .orElse(false);
        configuration.propertyNodeNameProvider(new Provider(snakeCase));
    }

    static final class Provider implements PropertyNodeNameProvider {
        private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
                new PropertyNamingStrategies.SnakeCaseStrategy();
        private final boolean snakeCase;

        Provider(boolean snakeCase) {
            this.snakeCase = snakeCase;
        }

        @Override
        public String getName(Property property) {
            if (property instanceof JavaBeanProperty bean) {
                Optional<String> queryParameter = queryParameterName(bean.getDeclaringClass(), property.getName());
                if (queryParameter.isPresent()) {
                    return queryParameter.get();
                }
            }
            return snakeCase ? SNAKE_CASE.translate(property.getName()) : property.getName();
        }

        private static Optional<String> queryParameterName(Class<?> type, String name) {
            try {
                Field field = type.getDeclaredField(name);
                QueryParam query = field.getAnnotation(QueryParam.class);
                return Optional.ofNullable(query).map(QueryParam::value);
            } catch (NoSuchFieldException e) {
                return Optional.empty();
            }
        }
    }
}
