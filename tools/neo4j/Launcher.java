// A real Neo4j 5.26 (community, embedded) with a Bolt server on 127.0.0.1, for tests and local use.
//
// Run as a single-file source program, nothing compiled ahead:
//   java -cp 'tools/neo4j/lib/*' tools/neo4j/Launcher.java --home DIR [--port N]
// Prints exactly one line "READY bolt://127.0.0.1:PORT" once a driver can connect, then waits;
// SIGTERM (or Ctrl-C) runs the shutdown hook, which closes the database cleanly.
// tools/neo4j/server.py starts it with the JVM flags Neo4j's own neo4j.conf passes.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public final class Launcher {
    private static final String HOST = "127.0.0.1";

    private Launcher() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path home = null;
        int port = 0; // 0: the operating system picks a free port; the real one is read back below.
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(requireValue(args, ++i, "--home"));
                case "--port" -> port = Integer.parseInt(requireValue(args, ++i, "--port"));
                default -> usage("Unknown argument " + args[i] + ".");
            }
        }
        if (home == null) {
            home = Files.createTempDirectory("policykg-neo4j-");
        }
        Files.createDirectories(home);

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                // Small, explicit memory: tests and a laptop, not production.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128))
                // Preallocating 256 MB transaction logs costs seconds and disk for nothing here.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // Never reach the internet: no usage data reporting.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Netty's graceful shutdown otherwise waits twice 5 s for traffic that never comes.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        // The default database is usable once a trivial query commits.
        try (var tx = db.beginTx()) {
            tx.execute("RETURN 1").close();
            tx.commit();
        }
        HostnamePort bolt = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bolt == null) {
            System.err.println("Neo4j started but its Bolt connector did not bind; see " + home.resolve("logs"));
            System.exit(2);
        }
        System.out.println("READY bolt://" + HOST + ":" + bolt.getPort());
        System.out.flush();
        stopped.await();
    }

    private static String requireValue(String[] args, int index, String flag) {
        if (index >= args.length) {
            usage(flag + " needs a value.");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println(problem + " Usage: java -cp 'lib/*' Launcher.java --home DIR [--port N]");
        System.exit(64);
    }
}
