package io.warden.service.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warden.aws.scan.ScanSettings;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ScanFunctionEnvironmentTest {

    @Test
    void theFunctionsOwnRegionComesFirstThenTheListedOnesOnce() {
        ScanSettings settings = ScanFunctionEnvironment.settings(Map.of(
                ScanFunctionEnvironment.REGION,
                "eu-west-1",
                ScanFunctionEnvironment.SCAN_REGIONS,
                " us-east-1, eu-west-1,,eu-central-1 "));

        assertThat(settings.regions()).containsExactly("eu-west-1", "us-east-1", "eu-central-1");
        assertThat(settings.wardenLayerName()).isEqualTo(ScanSettings.DEFAULT_WARDEN_LAYER_NAME);
        assertThat(settings.accountIds()).isEmpty();
    }

    @Test
    void theWardenLayerNameIsTheTemplates() {
        ScanSettings settings = ScanFunctionEnvironment.settings(Map.of(
                ScanFunctionEnvironment.REGION,
                "eu-west-1",
                ScanFunctionEnvironment.LAYER_NAME,
                "prod-warden",
                ScanFunctionEnvironment.SCAN_REGIONS,
                ""));

        assertThat(settings.regions()).containsExactly("eu-west-1");
        assertThat(settings.wardenLayerName()).isEqualTo("prod-warden");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of()))
                .hasMessageContaining("AWS_REGION is not set");
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of(
                        ScanFunctionEnvironment.REGION,
                        "eu-west-1",
                        ScanFunctionEnvironment.SCAN_REGIONS,
                        "eu-west-1;us-east-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'eu-west-1;us-east-1'");
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of(
                        ScanFunctionEnvironment.REGION, "eu-west-1", ScanFunctionEnvironment.LAYER_NAME, "warden:3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'warden:3'");
    }

    @Test
    void memberAccountsTheOrganizationAndTheRoleAreTheTemplatesParameters() {
        ScanSettings settings = ScanFunctionEnvironment.settings(Map.of(
                ScanFunctionEnvironment.REGION,
                "eu-west-1",
                ScanFunctionEnvironment.SCAN_ACCOUNTS,
                " 222222222222,333333333333,,222222222222 ",
                ScanFunctionEnvironment.SCAN_ORGANIZATION,
                "true",
                ScanFunctionEnvironment.SCAN_ROLE_NAME,
                "OrgScanRole"));

        assertThat(settings.accountIds()).containsExactly("222222222222", "333333333333");
        assertThat(settings.organization()).isTrue();
        assertThat(settings.roleName()).isEqualTo("OrgScanRole");
    }

    @Test
    void emptyAccountSettingsScanTheOwnAccountOnlyWithTheDefaultRole() {
        ScanSettings settings = ScanFunctionEnvironment.settings(Map.of(
                ScanFunctionEnvironment.REGION,
                "eu-west-1",
                ScanFunctionEnvironment.SCAN_ACCOUNTS,
                "",
                ScanFunctionEnvironment.SCAN_ORGANIZATION,
                "false",
                ScanFunctionEnvironment.SCAN_ROLE_NAME,
                ""));

        assertThat(settings.accountIds()).isEmpty();
        assertThat(settings.organization()).isFalse();
        assertThat(settings.roleName()).isEqualTo(ScanSettings.DEFAULT_ROLE_NAME);
    }

    @Test
    void badAccountSettingsAreNamed() {
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of(
                        ScanFunctionEnvironment.REGION,
                        "eu-west-1",
                        ScanFunctionEnvironment.SCAN_ACCOUNTS,
                        "222222222222,12345")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'12345'");
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of(
                        ScanFunctionEnvironment.REGION, "eu-west-1", ScanFunctionEnvironment.SCAN_ORGANIZATION, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ScanFunctionEnvironment.SCAN_ORGANIZATION + " is 'yes'; expected true or false");
        assertThatThrownBy(() -> ScanFunctionEnvironment.settings(Map.of(
                        ScanFunctionEnvironment.REGION,
                        "eu-west-1",
                        ScanFunctionEnvironment.SCAN_ROLE_NAME,
                        "role/with/slashes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'role/with/slashes'");
    }
}
