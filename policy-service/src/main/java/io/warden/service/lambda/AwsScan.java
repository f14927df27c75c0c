package io.warden.service.lambda;

import java.util.ServiceLoader;

/**
 * The scan of deployed Lambda functions and layers, as the scan handlers start it: a full scan on a schedule, and one
 * function or layer version after it was deployed. The AWS scan provides the implementation, registered as a service
 * ({@code META-INF/services/io.warden.service.lambda.AwsScan}) and configured from the function's environment.
 */
public interface AwsScan {

    /** Scans every function and layer version the scan is configured to see. */
    void scanAll();

    /** Scans one function again after it was created or changed. */
    void rescanFunction(String unqualifiedFunctionArn);

    /** Scans a layer version that was just published. */
    void scanLayerVersion(String layerVersionArn);

    /** The registered implementation; Lambda creates the handlers with it. */
    static AwsScan load() {
        return ServiceLoader.load(AwsScan.class, AwsScan.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no implementation of " + AwsScan.class.getName()
                        + " is registered in META-INF/services"));
    }
}
