import Logging
import Sdelka
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
// `--demo` is ours, not Vapor's: take it out before Vapor parses the command line.
let demo = env.arguments.contains("--demo")
env.arguments.removeAll { $0 == "--demo" }
let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"

let app = try await Application.make(env)
do {
    try await configure(app, config: .fromEnvironment())
    if command == "serve" { try await prepareForServing(app, demo: demo) }
    try await app.execute()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
