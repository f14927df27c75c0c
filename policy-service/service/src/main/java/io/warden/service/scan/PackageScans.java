package io.warden.service.scan;

import java.io.IOException;
import java.io.InputStream;

/** Scans a function's deployment package for what {@code POST /v1/scans} keeps. */
public interface PackageScans {

    /**
     * @param zip the deployment zip
     * @param name the function the package belongs to
     * @throws IllegalArgumentException when the upload is not a package that can be scanned, naming the problem
     */
    PackageScan scan(InputStream zip, String name) throws IOException;
}
