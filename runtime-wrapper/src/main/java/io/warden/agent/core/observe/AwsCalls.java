package io.warden.agent.core.observe;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an AWS SDK for Java v2 call from the SDK's own objects, which the code woven into the SDK's
 * {@code ExecutionInterceptorChain} hands over when a call ends ({@code afterExecution}) or fails
 * ({@code onExecutionFailure}): the request as it was marshalled, the operation, service and region the SDK signed it
 * for, and a failed call's AWS error code. Nothing is added to the function's class path: the SDK's classes are
 * reached through the class loader that loaded them, by reflection.
 *
 * <p>Only objects of the SDK's own classes, from that same loader, are read: the interceptor contexts and execution
 * attributes of the SDK core, generated request classes (final, so their {@code getValueForField} is the SDK's), the
 * SDK's {@code Region} and service exceptions. Anything else is left unread: a function that hands the SDK objects of
 * its own making only loses the detail of its own observation.
 */
public final class AwsCalls {
    /** The members that name a resource, by SDK member name, read where the request has them as a string. */
    static final String[] RESOURCE_MEMBERS = {
        "TableName",
        "Bucket",
        "Key",
        "QueueUrl",
        "QueueName",
        "TopicArn",
        "TargetArn",
        "SecretId",
        "Name",
        "FunctionName",
        "KeyId",
        "StreamName",
        "StreamARN",
        "LogGroupName",
        "StateMachineArn",
        "ResourceArn"
    };

    private static final String CORE = "software.amazon.awssdk.core.";
    private static final String CONTEXT = CORE + "interceptor.InterceptorContext";
    private static final String FAILED_CONTEXT = CORE + "internal.interceptor.DefaultFailedExecutionContext";
    private static final String ATTRIBUTES = CORE + "interceptor.ExecutionAttributes";

    private final Observer observer;
    /** The SDK's accessors, for the loader that last handed a call over (one SDK per function, as a rule). */
    private volatile Sdk sdk;

    public AwsCalls(Observer observer) {
        this.observer = observer;
    }

    /**
     * One SDK call ended.
     *
     * @param context the SDK's interceptor context (its failed-execution context when {@code failed})
     * @param attributes the call's execution attributes
     */
    public void ended(Object context, Object attributes, boolean failed) throws ReflectiveOperationException {
        if (context == null || attributes == null) {
            return;
        }
        Class<?> contextClass = context.getClass();
        String contextName = contextClass.getName();
        if (!contextName.equals(failed ? FAILED_CONTEXT : CONTEXT)) {
            return;
        }
        ClassLoader loader = contextClass.getClassLoader();
        Sdk known = sdk;
        if (known == null || known.loader != loader) {
            known = new Sdk(loader);
            sdk = known;
        }
        if (!known.isSdkClass(attributes.getClass(), ATTRIBUTES)
                && !known.isSdkClass(attributes.getClass(), ATTRIBUTES + "$UnmodifiableExecutionAttributes")) {
            return;
        }
        String operation = known.text(attributes, known.operationName);
        String service = known.text(attributes, known.signingName);
        if (service == null) {
            service = known.text(attributes, known.endpointPrefix);
        }
        if (service == null) {
            String serviceName = known.text(attributes, known.serviceName);
            service = serviceName == null ? null : serviceName.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        }
        if (operation == null || service == null) {
            return;
        }
        Map<String, String> resources = new LinkedHashMap<>();
        Object request = (failed ? known.failedRequest : known.request).invoke(context);
        if (request != null
                && request.getClass().getClassLoader() == loader
                && Modifier.isFinal(request.getClass().getModifiers())
                && request.getClass().getName().startsWith("software.amazon.awssdk.services.")) {
            for (String member : RESOURCE_MEMBERS) {
                Object value = ((Optional<?>) known.valueForField.invoke(request, member, Object.class)).orElse(null);
                if (value instanceof String) {
                    resources.put(member, member.equals("Key") ? Generalize.keyPrefix((String) value) : (String) value);
                }
            }
        }
        String error = failed ? known.errorCode(known.exception.invoke(context)) : null;
        observer.aws(service, operation, known.region(attributes), resources, error);
    }

    /** The accessors of one SDK, found through the loader of its classes. */
    private static final class Sdk {
        final ClassLoader loader;
        final Method getAttribute;
        final Method request;
        final Method failedRequest;
        final Method exception;
        final Method valueForField;
        final Object operationName;
        final Object serviceName;
        final Object signingName;
        final Object endpointPrefix;
        final Object region;
        final Class<?> regionClass;
        final Method regionId;
        final Class<?> serviceException;
        final Method errorDetails;
        final Method errorCode;

        Sdk(ClassLoader loader) throws ReflectiveOperationException {
            this.loader = loader;
            Class<?> attributes = load(ATTRIBUTES);
            Class<?> attribute = load(CORE + "interceptor.ExecutionAttribute");
            getAttribute = attributes.getMethod("getAttribute", attribute);
            request = load(CORE + "interceptor.Context$BeforeExecution").getMethod("request");
            Class<?> failedExecution = load(CORE + "interceptor.Context$FailedExecution");
            failedRequest = failedExecution.getMethod("request");
            exception = failedExecution.getMethod("exception");
            valueForField = load(CORE + "SdkRequest").getMethod("getValueForField", String.class, Class.class);
            Class<?> sdkAttributes = load(CORE + "interceptor.SdkExecutionAttribute");
            operationName = sdkAttributes.getField("OPERATION_NAME").get(null);
            serviceName = sdkAttributes.getField("SERVICE_NAME").get(null);
            signingName = optionalField(
                    "software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute", "SERVICE_SIGNING_NAME");
            endpointPrefix = optionalField("software.amazon.awssdk.awscore.AwsExecutionAttribute", "ENDPOINT_PREFIX");
            region = optionalField("software.amazon.awssdk.awscore.AwsExecutionAttribute", "AWS_REGION");
            regionClass = optionalClass("software.amazon.awssdk.regions.Region");
            regionId = regionClass == null ? null : regionClass.getMethod("id");
            serviceException = optionalClass("software.amazon.awssdk.awscore.exception.AwsServiceException");
            errorDetails = serviceException == null ? null : serviceException.getMethod("awsErrorDetails");
            Class<?> details = optionalClass("software.amazon.awssdk.awscore.exception.AwsErrorDetails");
            errorCode = details == null ? null : details.getMethod("errorCode");
        }

        private Class<?> load(String name) throws ClassNotFoundException {
            return Class.forName(name, false, loader);
        }

        private Class<?> optionalClass(String name) {
            try {
                return load(name);
            } catch (ClassNotFoundException | LinkageError absent) {
                return null;
            }
        }

        private Object optionalField(String className, String field) throws IllegalAccessException {
            Class<?> owner = optionalClass(className);
            if (owner == null) {
                return null;
            }
            try {
                return owner.getField(field).get(null);
            } catch (NoSuchFieldException absent) {
                return null;
            }
        }

        boolean isSdkClass(Class<?> type, String name) {
            return type.getName().equals(name) && type.getClassLoader() == loader;
        }

        /** An attribute whose value is a string, or null. */
        String text(Object attributes, Object attribute) throws ReflectiveOperationException {
            if (attribute == null) {
                return null;
            }
            Object value = getAttribute.invoke(attributes, attribute);
            return value instanceof String ? (String) value : null;
        }

        String region(Object attributes) throws ReflectiveOperationException {
            if (region == null || regionId == null) {
                return null;
            }
            Object value = getAttribute.invoke(attributes, region);
            if (value == null || value.getClass() != regionClass) {
                return null;
            }
            Object id = regionId.invoke(value);
            return id instanceof String ? (String) id : null;
        }

        /**
         * The AWS error code of a service exception of the SDK's own classes; for another failure (the call never got
         * an answer from AWS, or an exception of the function's making) the simple name of its class.
         */
        String errorCode(Object failure) throws ReflectiveOperationException {
            if (failure == null) {
                return "unknown";
            }
            Class<?> type = failure.getClass();
            boolean sdkOwn = type.getClassLoader() == loader && type.getName().startsWith("software.amazon.awssdk.");
            if (sdkOwn && serviceException != null && serviceException.isInstance(failure) && errorCode != null) {
                Object details = errorDetails.invoke(failure);
                if (details != null && details.getClass().getClassLoader() == loader) {
                    Object code = errorCode.invoke(details);
                    if (code instanceof String) {
                        return (String) code;
                    }
                }
            }
            return type.getSimpleName();
        }
    }
}
