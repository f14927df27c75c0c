# Build targets for `sam build` (template.yaml): every resource with `BuildMethod: makefile` has a target
# build-<LogicalId>, which sam build runs with ARTIFACTS_DIR set to that resource's build directory. Each target
# builds its Maven module, then copies what Lambda unpacks: the layer's content (Lambda puts it at /opt), a function's
# classes at the root of its package, or its jars under lib/.
#
# MAVEN can be overridden, e.g. `make build-WardenLayer ARTIFACTS_DIR=out MAVEN="mvn -B -o"`.

MAVEN ?= mvn -B -q
PACKAGE = $(MAVEN) -DskipTests package

ifndef ARTIFACTS_DIR
$(error ARTIFACTS_DIR is not set: sam build sets it; by hand, run e.g. make build-WardenLayer ARTIFACTS_DIR=out)
endif

.PHONY: build-WardenLayer build-ApiFunction build-ScheduledScanFunction build-DeploymentScanFunction \
	build-LogIngestFunction build-EgressDemoFunction

build-WardenLayer:
	$(PACKAGE) -pl layer -am
	unzip -o -q layer/target/warden-layer.zip -d "$(ARTIFACTS_DIR)"

# The policy service's API, the two scan functions and the ingest function each get the jar of their own handlers:
# nothing of the others', and no SQLite, which no function uses (policy-service/lambda/README.md).
build-ApiFunction:
	$(PACKAGE) -pl policy-service/lambda -am
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp policy-service/lambda/target/warden-api-function.jar "$(ARTIFACTS_DIR)/lib/"

build-ScheduledScanFunction build-DeploymentScanFunction:
	$(PACKAGE) -pl policy-service/lambda -am
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp policy-service/lambda/target/warden-scan-function.jar "$(ARTIFACTS_DIR)/lib/"

build-LogIngestFunction:
	$(PACKAGE) -pl policy-service/lambda -am
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp policy-service/lambda/target/warden-ingest-function.jar "$(ARTIFACTS_DIR)/lib/"

build-EgressDemoFunction:
	$(PACKAGE) -pl examples/egress-demo -am
	unzip -o -q examples/egress-demo/target/egress-demo.zip -d "$(ARTIFACTS_DIR)"
