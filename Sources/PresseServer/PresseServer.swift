import Hummingbird
import Logging
import NIOCore
import Presse
import ServiceLifecycle

/// `presse serve`: the server's start-up, in one place. Hummingbird runs it as a service
/// group that ends gracefully on SIGINT and SIGTERM (requests in flight are answered, then
/// the listener and the search threads close).
public enum PresseServer {
    /// Serves until SIGINT or SIGTERM. `background`: services to run beside the server for
    /// its whole life (issue 16's `--watch` adds its folder watcher here); they get the same
    /// graceful shutdown. `listening` is told the bound address ("127.0.0.1:8080").
    public static func run(_ settings: ServerSettings, background: [any Service] = [],
                           listening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let service = PresseService(settings: settings)
        let pages = try Pages()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ServingMiddleware(pages: pages))
        Routes(service: service, pages: pages).add(to: router)

        var logger = Logger(label: "presse-serve")
        logger.logLevel = .warning  // the access log is ServingMiddleware's
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "presse"),
            services: background,
            onServerRunning: { channel in
                listening(channel.localAddress.map { address in
                    "\(address.ipAddress ?? settings.host):\(address.port ?? settings.port)"
                } ?? "\(settings.host):\(settings.port)")
            },
            logger: logger)
        do {
            try await app.runService()
        } catch {
            await service.shutdown()
            throw error
        }
        await service.shutdown()
    }
}
