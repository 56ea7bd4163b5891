package org.heraldmta;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency directions of docs/ARCHITECTURE.md, held by the compiler's output. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.heraldmta");

    @Test
    void sharedValuesDependOnNoStage() {
        noClasses().that().resideInAPackage("org.heraldmta.mail..")
                .should().dependOnClassesThat().resideInAnyPackage("org.heraldmta.(config|smtpd|spool|qmgr|dns|smtp|bounce|log|admin|cli|app)..")
                .check(classes);
    }

    @Test
    void onlyTheAppAndTheCommandLineKnowTheWiring() {
        noClasses().that().resideOutsideOfPackages("org.heraldmta.app..", "org.heraldmta.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.heraldmta.app..", "org.heraldmta.cli..")
                .check(classes);
    }

    @Test
    void theSchedulerNeverTouchesSocketsOrDns() {
        noClasses().that().resideInAPackage("org.heraldmta.qmgr..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "org.xbill..", "org.heraldmta.smtpd..")
                .check(classes);
    }

    @Test
    void theSpoolDecidesNothingAboutDelivery() {
        noClasses().that().resideInAPackage("org.heraldmta.spool..")
                .should().dependOnClassesThat().resideInAnyPackage("org.heraldmta.(qmgr|smtp|smtpd|dns|bounce)..")
                .check(classes);
    }

    @Test
    void onlyTheAppStartsTheAdminServer() {
        noClasses().that().resideOutsideOfPackages("org.heraldmta.app..", "org.heraldmta.admin..")
                .should().dependOnClassesThat().resideInAPackage("org.heraldmta.admin..")
                .check(classes);
    }

    @Test
    void onlyTheAdminServerKnowsTheMetricsLibrary() {
        noClasses().that().resideOutsideOfPackage("org.heraldmta.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(classes);
    }

    @Test
    void theInboundServerWritesOnlyThroughTheSpool() {
        noClasses().that().resideInAPackage("org.heraldmta.smtpd..")
                .should().dependOnClassesThat().resideInAnyPackage("org.heraldmta.(qmgr|smtp|dns|bounce)..")
                .check(classes);
    }

    @Test
    void nothingAsksTheJdkResolverForNames() {
        noClasses().should().callMethod(java.net.InetAddress.class, "getByName", String.class)
                .orShould().callMethod(java.net.InetAddress.class, "getAllByName", String.class)
                .orShould().callMethod(java.net.InetAddress.class, "getHostName")
                .orShould().callMethod(java.net.InetAddress.class, "getCanonicalHostName")
                .orShould().callMethod(java.net.InetAddress.class, "getLocalHost")
                .orShould().callConstructor(java.net.InetSocketAddress.class, String.class, int.class)
                .orShould().callConstructor(java.net.Socket.class, String.class, int.class)
                .check(classes);
    }
}
