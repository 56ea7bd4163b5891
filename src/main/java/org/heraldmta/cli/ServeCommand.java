package org.heraldmta.cli;

import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.heraldmta.app.Herald;
import org.heraldmta.config.ConfigException;
import org.heraldmta.config.HeraldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code herald serve}: runs the server until SIGTERM or SIGINT. */
@Command(name = "serve", description = "Run the Herald server (embedded defaults unless --config is given).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Override
    public Integer call() throws Exception {
        HeraldConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("herald: " + e.getMessage());
            return 2;
        }
        Herald herald = Herald.start(loaded, config.loader(), InstantSource.system());
        herald.reloadOnHangup();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            herald.close();
            stopped.countDown();
        }, "herald-shutdown"));
        stopped.await();
        return 0;
    }
}
