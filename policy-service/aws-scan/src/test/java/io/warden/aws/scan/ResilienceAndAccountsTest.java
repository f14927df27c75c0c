package io.warden.aws.scan;

import static io.warden.aws.AwsFixtures.HOME;
import static io.warden.aws.AwsFixtures.REGION;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.aws.AwsFixtures;
import io.warden.aws.fake.FakeAccount;
import io.warden.aws.fake.FakeAws;
import io.warden.aws.findings.FindingListener;
import io.warden.aws.findings.FunctionRecord;
import io.warden.aws.findings.InMemoryFindingStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling, transient server errors, lasting failures of single functions, and several accounts. */
class ResilienceAndAccountsTest {
    private static final String MEMBER = "222222222222";
    private static final String UNTRUSTING = "333333333333";

    FakeAws aws;
    FakeAccount home;
    String sha;

    @BeforeEach
    void deploy() throws Exception {
        aws = FakeAws.start(HOME);
        home = aws.home();
        sha = aws.code(AwsFixtures.plainFunction("app"));
        String role = home.role(
                "app-role", List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"), Map.of());
        for (int i = 0; i < 6; i++) {
            home.function(REGION, "app-" + i).runtime("java21").code(sha).role(role);
        }
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private AwsScanner scanner(ScanSettings settings, InMemoryFindingStore store) throws Exception {
        return new AwsScanner(settings, aws.credentials(), store, null, FindingListener.NONE);
    }

    @Test
    void throttlingAndTransientErrorsAreRetriedAndTheScanCompletes() throws Exception {
        aws.fail("ListFunctions", 2, 429, "TooManyRequestsException");
        aws.fail("GetFunction", 3, 429, "TooManyRequestsException");
        aws.fail("GetFunctionUrlConfig", 2, 503, "ServiceException");
        aws.fail("GetPolicy", 2, 500, "ServiceException");
        aws.fail("GetRole", 2, 400, "Throttling");
        aws.fail("GetPolicyVersion", 1, 503, "ServiceUnavailable");
        aws.fail("GetCallerIdentity", 1, 400, "Throttling");
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(AwsFixtures.settings(aws), store)) {
            ScanReport report = scanner.scanAll();
            assertThat(report.failures()).isEmpty();
            assertThat(store.functions()).hasSize(6);
            assertThat(store.findings(new io.warden.aws.findings.FindingQuery("app-3", null, null)))
                    .extracting(f -> f.rule())
                    .containsExactly("warden-absent");
        }
        assertThat(aws.calls("ListFunctions")).isEqualTo(3);
        assertThat(aws.calls("GetRole")).isEqualTo(3);
        assertThat(aws.downloads(sha)).isEqualTo(1);
    }

    @Test
    void aFunctionThatKeepsFailingIsReportedAndTheOthersAreScanned() throws Exception {
        aws.fail("GetFunctionUrlConfig", name -> name.equals("app-2"), 1000, 500, "ServiceException");
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(AwsFixtures.settings(aws), store)) {
            ScanReport report = scanner.scanAll();
            assertThat(report.failures()).singleElement().satisfies(f -> {
                assertThat(f.resource()).isEqualTo(home.functionArn(REGION, "app-2"));
                assertThat(f.reason()).contains("ServiceException");
            });
            assertThat(store.functions())
                    .extracting(FunctionRecord::functionName)
                    .containsExactlyInAnyOrder("app-0", "app-1", "app-3", "app-4", "app-5");
        }
        // Bounded: the failing function's call was tried maxAttempts times, no more.
        assertThat(aws.calls("GetFunctionUrlConfig"))
                .isEqualTo(5 + AwsFixtures.settings(aws).maxAttempts());
    }

    @Test
    void memberAccountsFromTheOrganizationAreScannedThroughTheAssumedRole() throws Exception {
        FakeAccount member = aws.account(MEMBER).trustScannerRole("WardenScanRole");
        member.function(REGION, "member-fn").runtime("java17").code(sha);
        aws.account(UNTRUSTING).function(REGION, "hidden").runtime("java21").code(sha);
        aws.fail("ListAccounts", 1, 400, "TooManyRequestsException");
        ScanSettings settings = AwsFixtures.settings(aws).withAccounts(List.of(), true, "WardenScanRole");
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(settings, store)) {
            ScanReport report = scanner.scanAll();
            assertThat(store.functions()).extracting(FunctionRecord::accountId).containsOnly(HOME, MEMBER);
            assertThat(store.findFunction(member.functionArn(REGION, "member-fn")))
                    .isPresent();
            assertThat(report.failures()).singleElement().satisfies(f -> {
                assertThat(f.resource()).isEqualTo(UNTRUSTING + "/" + REGION);
                assertThat(f.reason())
                        .contains("not authorized to perform: sts:AssumeRole")
                        .contains("333333333333:role/WardenScanRole");
            });
        }
        assertThat(aws.calls("ListAccounts")).isEqualTo(3);
        assertThat(aws.calls("AssumeRole")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void listedAccountsAreScannedWithoutTheOrganization() throws Exception {
        aws.account(MEMBER)
                .trustScannerRole("ScanFromSecurity")
                .function(REGION, "m")
                .runtime("java21")
                .code(sha);
        ScanSettings settings = AwsFixtures.settings(aws).withAccounts(List.of(MEMBER), false, "ScanFromSecurity");
        InMemoryFindingStore store = new InMemoryFindingStore();
        try (AwsScanner scanner = scanner(settings, store)) {
            ScanReport report = scanner.scanAll();
            assertThat(report.failures()).isEmpty();
            assertThat(store.functions()).hasSize(7);
        }
        assertThat(aws.calls("ListAccounts")).isZero();
    }
}
