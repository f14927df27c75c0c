package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.warden.aws.scan.AwsScanner;
import io.warden.aws.scan.ScanReport;

/**
 * The full scan of deployed functions and layers ({@link AwsScanner#scanAll()}), started by an EventBridge schedule.
 * The answer summarises the scan; functions, layers or regions that could not be scanned are named in it and do not
 * fail the invocation, so the schedule does not retry what did succeed.
 */
public final class ScheduledScanHandler implements RequestHandler<ScheduledEvent, String> {

    static final String SCHEDULED_EVENT_TYPE = "Scheduled Event";

    private final AwsScanner scanner;

    /** Lambda's constructor: the scan configured from the function's environment. */
    public ScheduledScanHandler() {
        this(ScanFunctionEnvironment.scanner(System.getenv()));
    }

    public ScheduledScanHandler(AwsScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        if (!SCHEDULED_EVENT_TYPE.equals(event.getDetailType())) {
            throw new IllegalArgumentException("expected an EventBridge \"" + SCHEDULED_EVENT_TYPE
                    + "\", got detail-type \"" + event.getDetailType() + "\" (event " + event.getId() + ")");
        }
        ScanReport report = scanner.scanAll();
        return ScanAnswers.of(report).put("event", event.getId()).toString();
    }
}
