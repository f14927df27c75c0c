package io.warden.agent.core.observe;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an AWS SDK for Java v2 call from the SDK's own objects, which the code woven into the SDK's
 * {@code ExecutionInterceptorChain} hands over when a call ends ({@code afterExecution}) or fails
 * ({@code onExecutionFailure}): the request as it was marshalled, the operation, service and region the SDK signed it
 * for, and a failed call's AWS error code. Nothing is added to the function's class path: the SDK's classes are
 * reached through the class loader that loaded them, by reflection.
 *
 * <p>Only objects of the SDK's own classes, from that same loader, are read: the interceptor contexts and execution
 * attributes of the SDK core, generated request classes (final, so their {@code getValueForField} is the SDK's), the
 * SDK's {@code Region} and service exceptions, the final model classes a transaction's items are, and the JDK's
 * unmodifiable views over the SDK's own copies of a request's maps and lists (read through the gate, which calls no
 * method of theirs). Anything else is left unread: a function that hands the SDK objects of its own making only loses
 * the detail of its own observation.
 */
public final class AwsCalls {
    /** The members that name a resource, by SDK member name, read where the request has them as a string. */
    static final String[] RESOURCE_MEMBERS = {
        "TableName",
        "IndexName",
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

    /**
     * Most names one call's nested members may give (AWS takes at most 100 in any of these requests): a call that gives
     * more is observed without them, as a call that named none.
     */
    static final int MAX_NAMES = 100;

    private static final String DYNAMODB_MODEL = "software.amazon.awssdk.services.dynamodb.model.";
    /** A {@code TransactWriteItem}'s members, each a model class of the same name with a {@code TableName}. */
    private static final String[] TRANSACT_WRITES = {"Put", "Update", "Delete", "ConditionCheck"};
    /** A {@code TransactGetItem}'s member, likewise. */
    private static final String[] TRANSACT_GETS = {"Get"};

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
        Set<String> names = null;
        String namesMember = null;
        if (request != null
                && request.getClass().getClassLoader() == loader
                && Modifier.isFinal(request.getClass().getModifiers())
                && request.getClass().getName().startsWith("software.amazon.awssdk.services.")) {
            for (String member : RESOURCE_MEMBERS) {
                Object value = known.member(request, member);
                if (value instanceof String) {
                    resources.put(member, observed(member, (String) value));
                }
            }
            namesMember = nestedMember(service, operation);
            if (namesMember != null) {
                names = nestedNames(known, operation, request);
            }
        }
        String error = failed ? known.errorCode(known.exception.invoke(context)) : null;
        observe(observer, service, operation, known.region(attributes), resources, namesMember, names, error);
    }

    /**
     * The simple name of a failure's class, from its binary name: {@code getSimpleName} would have the JVM resolve the
     * enclosing class of a nested one, which may load a class through the function's class loader.
     */
    static String simpleName(Class<?> type) {
        String name = type.getName();
        return name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
    }

    /** A resource member's value as it is observed: an S3 {@code Key} as its prefix ({@link Generalize#keyPrefix}). */
    static String observed(String member, String value) {
        return member.equals("Key") ? Generalize.keyPrefix(value) : value;
    }

    /**
     * The items of one call, of either SDK: one, or one per name a call of {@link #nestedMember} gave, each with the
     * call's other resources and that member.
     */
    static void observe(
            Observer observer,
            String service,
            String operation,
            String region,
            Map<String, String> resources,
            String namesMember,
            Set<String> names,
            String error) {
        if (names == null || names.isEmpty()) {
            observer.aws(service, operation, region, resources, error);
            return;
        }
        for (String name : names) {
            Map<String, String> named = new LinkedHashMap<>(resources);
            named.put(namesMember, name);
            observer.aws(service, operation, region, named, error);
        }
    }

    /**
     * The member a call that names its resources in nested members is observed by, one item per name (a DynamoDB batch
     * or transaction per table, a Secrets Manager batch per secret, SSM's {@code GetParameters} per parameter), or null
     * for any other call.
     */
    static String nestedMember(String service, String operation) {
        switch (service + '.' + operation) {
            case "dynamodb.BatchWriteItem":
            case "dynamodb.BatchGetItem":
            case "dynamodb.TransactWriteItems":
            case "dynamodb.TransactGetItems":
                return "TableName";
            case "secretsmanager.BatchGetSecretValue":
                return "SecretId";
            case "ssm.GetParameters":
                return "Name";
            default:
                return null;
        }
    }

    /**
     * The distinct names a call of {@link #nestedMember} gives, read from the SDK's own copies: a batch's
     * {@code RequestItems} map's keys, a transaction's items (each of the SDK's final model classes), a list of names.
     * A collection is read only when it is the JDK's unmodifiable view over the SDK's own copy, through the gate, which
     * reads its fields and calls none of its methods ({@code WardenGate.unmodifiableContents}); empty when anything is
     * of another making or there are more than {@link #MAX_NAMES}.
     */
    private static Set<String> nestedNames(Sdk sdk, String operation, Object request)
            throws ReflectiveOperationException {
        Set<String> names = new LinkedHashSet<>();
        switch (operation) {
            case "BatchWriteItem":
            case "BatchGetItem":
                addStrings(WardenGate.unmodifiableContents(sdk.member(request, "RequestItems"), MAX_NAMES), names);
                break;
            case "TransactWriteItems":
            case "TransactGetItems":
                boolean writes = operation.equals("TransactWriteItems");
                Object[] items = WardenGate.unmodifiableContents(sdk.member(request, "TransactItems"), MAX_NAMES);
                Class<?> itemClass =
                        sdk.modelClass(DYNAMODB_MODEL + (writes ? "TransactWriteItem" : "TransactGetItem"));
                if (items == null || itemClass == null) {
                    break;
                }
                for (Object item : items) {
                    for (String kind : writes ? TRANSACT_WRITES : TRANSACT_GETS) {
                        Object action = sdk.modelMember(item, itemClass, kind);
                        Class<?> actionClass = sdk.modelClass(DYNAMODB_MODEL + kind);
                        Object table = actionClass == null ? null : sdk.modelMember(action, actionClass, "TableName");
                        if (table instanceof String) {
                            names.add((String) table);
                        }
                    }
                }
                break;
            case "BatchGetSecretValue":
                addStrings(WardenGate.unmodifiableContents(sdk.member(request, "SecretIdList"), MAX_NAMES), names);
                break;
            case "GetParameters":
                addStrings(WardenGate.unmodifiableContents(sdk.member(request, "Names"), MAX_NAMES), names);
                break;
            default:
                break;
        }
        return names;
    }

    static void addStrings(Object[] values, Set<String> names) {
        if (values != null) {
            for (Object value : values) {
                if (value instanceof String) {
                    names.add((String) value);
                }
            }
        }
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
        /** The {@code getValueForField} of the model classes read so far, by class name. */
        final Map<String, Method> modelReaders = new ConcurrentHashMap<>();

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

        /** A member of a request already known to be of a final generated class of this SDK's. */
        Object member(Object request, String member) throws ReflectiveOperationException {
            return ((Optional<?>) valueForField.invoke(request, member, Object.class)).orElse(null);
        }

        /** A final model class of this SDK's loader, or null when the loader has none of that name. */
        Class<?> modelClass(String name) {
            Method read = modelReaders.get(name);
            if (read == null) {
                Class<?> type = optionalClass(name);
                if (type == null || !Modifier.isFinal(type.getModifiers())) {
                    return null;
                }
                try {
                    read = type.getMethod("getValueForField", String.class, Class.class);
                } catch (NoSuchMethodException absent) {
                    return null;
                }
                if (read.getDeclaringClass() != type) {
                    return null;
                }
                modelReaders.put(name, read);
            }
            return read.getDeclaringClass();
        }

        /** A member of {@code model} when it is exactly of {@code type} (from {@link #modelClass}), else null. */
        Object modelMember(Object model, Class<?> type, String member) throws ReflectiveOperationException {
            if (model == null || model.getClass() != type) {
                return null;
            }
            return ((Optional<?>) modelReaders.get(type.getName()).invoke(model, member, Object.class)).orElse(null);
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
            return simpleName(type);
        }
    }
}
