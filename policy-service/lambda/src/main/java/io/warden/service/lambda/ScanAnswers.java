package io.warden.service.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warden.aws.scan.ScanReport;

/** A scan function's answer: what the scan did and what it could not scan (the findings are in the log). */
final class ScanAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScanAnswers() {}

    static ObjectNode of(ScanReport report) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("functionsScanned", report.functionsScanned());
        answer.put("layersScanned", report.layersScanned());
        answer.put("packagesDownloaded", report.packagesDownloaded());
        answer.put("layersDownloaded", report.layersDownloaded());
        answer.put("newFindings", report.newFindings().size());
        answer.set("failures", JSON.valueToTree(report.failures()));
        answer.put("millis", report.elapsed().toMillis());
        return answer;
    }
}
