package io.warden.agent.core.observe;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an AWS SDK for Java v1 call from the SDK's own objects, which the code woven into the SDK's
 * {@code AmazonHttpClient$RequestExecutor} hands over when a call ended ({@code afterResponse}) or failed
 * ({@code afterError}): the executor, whose fields hold the marshalled request with the operation, service id and
 * signing region the client put in its handler context, the client (its signing name), and the request object the
 * function built. Same items as the v2 reader ({@link AwsCalls}): the service by its signing name, the resource members
 * by their SDK member names, one item per table for a call that names several.
 *
 * <p>v1 model classes are not final and their getters can be overridden, so no method of them is ever called: only
 * fields are read, by reflection on the classes of the objects handed over (no class is loaded, and the function's class
 * loader is never asked for one). The request's members are read only when its class and every superclass up to the
 * SDK's {@code AmazonWebServiceRequest} are the SDK's model classes ({@code com.amazonaws.services.}) of the executor's
 * loader; a subclass of the function's making loses its resources, nothing else. A map or list the request holds is read
 * only when it is one of the JDK's own collections, whose iteration runs no code of anyone else's; a failed call's error
 * code is the field of the SDK's {@code AmazonServiceException}, read only from an exception of the SDK's own classes.
 * A request the function changes while its call runs blurs only its own observation.
 */
public final class AwsV1Calls {

    private static final String EXECUTOR = "com.amazonaws.http.AmazonHttpClient$RequestExecutor";
    private static final String DEFAULT_REQUEST = "com.amazonaws.DefaultRequest";
    private static final String CONTEXT_KEY = "com.amazonaws.handlers.HandlerContextKey";
    private static final String EXECUTION_CONTEXT = "com.amazonaws.http.ExecutionContext";
    private static final String CLIENT = "com.amazonaws.AmazonWebServiceClient";
    private static final String MODEL_REQUEST = "com.amazonaws.AmazonWebServiceRequest";
    private static final String SERVICE_EXCEPTION = "com.amazonaws.AmazonServiceException";
    private static final String MODELS = "com.amazonaws.services.";

    /** The JDK's collections a request may hold whose iteration calls no method of their elements or of a subclass. */
    private static final String[] JDK_COLLECTIONS = {
        "java.util.HashMap",
        "java.util.LinkedHashMap",
        "java.util.TreeMap",
        "java.util.concurrent.ConcurrentHashMap",
        "java.util.Collections$SingletonMap",
        "java.util.ImmutableCollections$Map1",
        "java.util.ImmutableCollections$MapN",
        "java.util.ArrayList",
        "java.util.LinkedList",
        "java.util.Collections$SingletonList",
        "java.util.ImmutableCollections$List12",
        "java.util.ImmutableCollections$ListN",
        "java.util.Arrays$ArrayList"
    };

    /** Each class's declared fields by name, accessible. */
    private static final ClassValue<Map<String, Field>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Field> computeValue(Class<?> type) {
            Map<String, Field> fields = new HashMap<>();
            for (Field field : type.getDeclaredFields()) {
                try {
                    field.setAccessible(true);
                    fields.put(field.getName(), field);
                } catch (InaccessibleObjectException | SecurityException closed) {
                    // Left out: read as absent.
                }
            }
            return fields;
        }
    };

    private final Observer observer;

    public AwsV1Calls(Observer observer) {
        this.observer = observer;
    }

    /**
     * One SDK call ended.
     *
     * @param executor the SDK's {@code AmazonHttpClient$RequestExecutor} that ran it
     * @param failure the exception the call failed with ({@code failed}), else null
     */
    public void ended(Object executor, Object failure, boolean failed) throws ReflectiveOperationException {
        if (executor == null || !executor.getClass().getName().equals(EXECUTOR)) {
            return;
        }
        Class<?> executorClass = executor.getClass();
        ClassLoader loader = executorClass.getClassLoader();
        Object request = value(executorClass, "request", executor);
        if (request == null
                || request.getClass().getClassLoader() != loader
                || !request.getClass().getName().equals(DEFAULT_REQUEST)) {
            return;
        }
        Object context = value(request.getClass(), "handlerContext", request);
        if (context == null || context.getClass() != HashMap.class) {
            return;
        }
        String operation = null;
        String region = null;
        String serviceId = null;
        String signingName = null;
        for (Map.Entry<?, ?> entry : ((HashMap<?, ?>) context).entrySet()) {
            Object key = entry.getKey();
            if (!(entry.getValue() instanceof String)
                    || key == null
                    || key.getClass().getClassLoader() != loader
                    || !key.getClass().getName().equals(CONTEXT_KEY)) {
                continue;
            }
            String text = (String) entry.getValue();
            Object name = value(key.getClass(), "name", key);
            if ("OperationName".equals(name)) {
                operation = text;
            } else if ("SigningRegion".equals(name)) {
                region = text;
            } else if ("ServiceId".equals(name)) {
                serviceId = text;
            } else if ("SIGNING_NAME".equals(name)) {
                signingName = text;
            }
        }
        String service = signingName != null ? signingName : clientSigningName(executor, loader);
        if (service == null && serviceId != null) {
            service = serviceId.replace(" ", "").toLowerCase(Locale.ROOT);
        }
        if (operation == null || service == null) {
            return;
        }
        String error = failed ? errorCode(failure, loader) : null;
        Object original = value(request.getClass(), "originalRequest", request);
        if (original == null || !isModelRequest(original.getClass(), loader)) {
            observer.aws(service, operation, region, Map.of(), error);
            return;
        }
        String namesMember = AwsCalls.nestedMember(service, operation);
        Set<String> names = namesMember == null ? null : nestedNames(original, operation, loader);
        AwsCalls.observe(observer, service, operation, region, resources(original, loader), namesMember, names, error);
    }

    /** The signing name of the client that made the call (the v1 SDK's {@code serviceName} of its client). */
    private static String clientSigningName(Object executor, ClassLoader loader) throws IllegalAccessException {
        Object context = value(executor.getClass(), "executionContext", executor);
        Class<?> contextClass = context == null ? null : sdkClass(context.getClass(), EXECUTION_CONTEXT, loader);
        Object client = contextClass == null ? null : value(contextClass, "awsClient", context);
        Class<?> clientClass = client == null ? null : sdkClass(client.getClass(), CLIENT, loader);
        Object name = clientClass == null ? null : value(clientClass, "serviceName", client);
        return name instanceof String ? (String) name : null;
    }

    /**
     * The request's resource members by their SDK member names ({@link AwsCalls#RESOURCE_MEMBERS}), read from its
     * fields of the same name (S3's bucket is {@code bucketName}, or its object id's {@code bucket}).
     */
    private static Map<String, String> resources(Object request, ClassLoader loader) throws IllegalAccessException {
        Map<String, String> resources = new LinkedHashMap<>();
        Object s3Object = valueOf(request, "s3ObjectIdBuilder");
        boolean s3Id = s3Object != null
                && s3Object.getClass().getClassLoader() == loader
                && s3Object.getClass().getName().equals("com.amazonaws.services.s3.model.S3ObjectIdBuilder");
        for (String member : AwsCalls.RESOURCE_MEMBERS) {
            String field = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            Object value = text(request, field);
            if (value == null && member.equals("Bucket")) {
                value = s3Id ? text(s3Object, "bucket") : text(request, "bucketName");
            } else if (value == null && member.equals("Key") && s3Id) {
                value = text(s3Object, "key");
            }
            if (value instanceof String) {
                resources.put(member, AwsCalls.observed(member, (String) value));
            }
        }
        return resources;
    }

    /**
     * The distinct names a call of {@link AwsCalls#nestedMember} gives: the keys of a batch's {@code requestItems}, the tables of
     * a transaction's items (the put, update, delete, condition check or get each holds, all of the SDK's model
     * classes), a list of names; empty when a collection is of another making or holds more than {@link AwsCalls#MAX_NAMES}.
     */
    private static Set<String> nestedNames(Object request, String operation, ClassLoader loader)
            throws IllegalAccessException {
        Set<String> names = new LinkedHashSet<>();
        switch (operation) {
            case "BatchWriteItem":
            case "BatchGetItem":
                Object items = readable(valueOf(request, "requestItems"), loader);
                AwsCalls.addStrings(
                        items instanceof Map ? ((Map<?, ?>) items).keySet().toArray() : null, names);
                break;
            case "TransactWriteItems":
            case "TransactGetItems":
                Object transactItems = readable(valueOf(request, "transactItems"), loader);
                if (!(transactItems instanceof List)) {
                    break;
                }
                for (Object item : ((List<?>) transactItems).toArray()) {
                    if (!isModel(item, loader)) {
                        continue;
                    }
                    for (Field action : FIELDS.get(item.getClass()).values()) {
                        Object named = action.getType().isPrimitive() ? null : action.get(item);
                        Object table = isModel(named, loader) ? text(named, "tableName") : null;
                        if (table instanceof String) {
                            names.add((String) table);
                        }
                    }
                }
                break;
            case "BatchGetSecretValue":
                Object secrets = readable(valueOf(request, "secretIdList"), loader);
                AwsCalls.addStrings(secrets instanceof List ? ((List<?>) secrets).toArray() : null, names);
                break;
            default: // GetParameters
                Object parameters = readable(valueOf(request, "names"), loader);
                AwsCalls.addStrings(parameters instanceof List ? ((List<?>) parameters).toArray() : null, names);
                break;
        }
        return names;
    }

    /**
     * The AWS error code of a service exception of the SDK's own classes (the field its unmarshaller set); for another
     * failure (the call got no answer, or an exception of the function's making) the simple name of its class.
     */
    private static String errorCode(Object failure, ClassLoader loader) throws IllegalAccessException {
        if (failure == null) {
            return "unknown";
        }
        Class<?> type = failure.getClass();
        if (type.getClassLoader() == loader && type.getName().startsWith("com.amazonaws.")) {
            Class<?> serviceException = sdkClass(type, SERVICE_EXCEPTION, loader);
            Object code = serviceException == null ? null : value(serviceException, "errorCode", failure);
            if (code instanceof String) {
                return (String) code;
            }
        }
        return AwsCalls.simpleName(type);
    }

    /**
     * Whether the class and each superclass up to the SDK's {@code AmazonWebServiceRequest} are the SDK's model classes
     * of that loader.
     */
    private static boolean isModelRequest(Class<?> type, ClassLoader loader) {
        for (Class<?> c = type; c != null && c.getClassLoader() == loader; c = c.getSuperclass()) {
            if (c.getName().equals(MODEL_REQUEST)) {
                return c != type;
            }
            if (!c.getName().startsWith(MODELS)) {
                return false;
            }
        }
        return false;
    }

    /** Whether the object is of a model class of the SDK's of that loader that extends nothing of anyone else's. */
    private static boolean isModel(Object value, ClassLoader loader) {
        return value != null
                && value.getClass().getClassLoader() == loader
                && value.getClass().getName().startsWith(MODELS)
                && value.getClass().getSuperclass() == Object.class;
    }

    /**
     * The map or list when it is one of the JDK's own classes {@link #JDK_COLLECTIONS} lists (or the SDK's
     * {@code SdkInternalList}, an {@code ArrayList} it copies a list into) holding at most {@link AwsCalls#MAX_NAMES}, else
     * null: their {@code size}, {@code keySet().toArray()} and {@code toArray()} are the JDK's, and call no method of
     * their elements.
     */
    private static Object readable(Object collection, ClassLoader loader) {
        if (collection == null) {
            return null;
        }
        Class<?> type = collection.getClass();
        boolean known =
                type.getClassLoader() == loader && type.getName().equals("com.amazonaws.internal.SdkInternalList");
        for (int i = 0; !known && i < JDK_COLLECTIONS.length; i++) {
            known = type.getClassLoader() == null && JDK_COLLECTIONS[i].equals(type.getName());
        }
        if (!known) {
            return null;
        }
        int size = collection instanceof Map ? ((Map<?, ?>) collection).size() : ((List<?>) collection).size();
        return size <= AwsCalls.MAX_NAMES ? collection : null;
    }

    /** The superclass of {@code type} (or itself) of that name and loader, or null. */
    private static Class<?> sdkClass(Class<?> type, String name, ClassLoader loader) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c.getClassLoader() == loader ? c : null;
            }
        }
        return null;
    }

    /** The field of that name declared by the class or a superclass, or null. */
    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Field field = FIELDS.get(c).get(name);
            if (field != null) {
                return field;
            }
        }
        return null;
    }

    /** The value of a field of the object's class or a superclass, or null when it has none. */
    private static Object valueOf(Object object, String name) throws IllegalAccessException {
        Field field = field(object.getClass(), name);
        return field == null || field.getType().isPrimitive() ? null : field.get(object);
    }

    /** A string field's value, or null. */
    private static Object text(Object object, String name) throws IllegalAccessException {
        Field field = field(object.getClass(), name);
        return field == null || field.getType() != String.class ? null : field.get(object);
    }

    /** The value of the field {@code owner} declares. */
    private static Object value(Class<?> owner, String name, Object object) throws IllegalAccessException {
        Field field = FIELDS.get(owner).get(name);
        return field == null ? null : field.get(object);
    }
}
