package io.warden.service.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

/** The full scan of deployed functions and layers, started by an EventBridge schedule. */
public final class ScheduledScanHandler implements RequestHandler<ScheduledEvent, String> {

    static final String SCHEDULED_EVENT_TYPE = "Scheduled Event";

    private final AwsScan scan;

    /** Lambda's constructor. */
    public ScheduledScanHandler() {
        this(AwsScan.load());
    }

    public ScheduledScanHandler(AwsScan scan) {
        this.scan = scan;
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        if (!SCHEDULED_EVENT_TYPE.equals(event.getDetailType())) {
            throw new IllegalArgumentException("expected an EventBridge \"" + SCHEDULED_EVENT_TYPE
                    + "\", got detail-type \"" + event.getDetailType() + "\" (event " + event.getId() + ")");
        }
        scan.scanAll();
        return "full scan done for schedule event " + event.getId();
    }
}
