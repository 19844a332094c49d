import Logging
import Sdelka
import Vapor

var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
// `--demo` is ours, not Vapor's: take it out before Vapor parses the command line.
let demo = env.arguments.contains("--demo")
env.arguments.removeAll { $0 == "--demo" }
let command = env.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
#if canImport(Glibc)
// An import builds each batch's rows on one thread and frees them on another; with glibc's
// default of an arena per thread the freed memory piles up in arenas and the resident size
// grows with the file. Two arenas keep it flat.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
let arenaMax: Int32 = -8 // M_ARENA_MAX of <malloc.h>, which Swift's Glibc module does not bring
if command == "import" { _ = mallopt(arenaMax, 2) }
#endif

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
