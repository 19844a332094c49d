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
// An import builds each batch's rows and statements (megabytes of JSON) on one thread and frees
// them on another. With glibc's defaults the freed memory piles up: an arena per thread, and a
// threshold for returning large blocks to the system that rises after each one freed. Two arenas
// and a fixed 1 MB threshold keep the resident size from growing with the file.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
// M_ARENA_MAX and M_MMAP_THRESHOLD of <malloc.h>, which Swift's Glibc module does not bring.
let arenaMax: Int32 = -8, mmapThreshold: Int32 = -3
if command == "import" {
    _ = mallopt(arenaMax, 2)
    _ = mallopt(mmapThreshold, 1 << 20)
}
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
