import Foundation

/// A real SMTP server (aiosmtpd, `smtp_server.py`) on loopback for one test: started as a
/// child process, it saves every accepted message byte for byte into a fresh directory.
final class SMTPTestServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init(starttls: Bool = false, implicitTLS: Bool = false, auth: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sdelka-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, directory.path] + (starttls ? ["--starttls"] : []) + (implicitTLS ? ["--tls"] : []) + (auth.map { ["--auth", $0] } ?? [])
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(line) else {
            process.terminate()
            throw SMTPTestServerError(message: "the test SMTP server did not start (is aiosmtpd installed? pip install aiosmtpd): \(line)")
        }
        self.port = port
    }

    struct SMTPTestServerError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// The certificate the server presents, for `?ca=` (with `starttls` or `implicitTLS`).
    var certificateFile: String { directory.appendingPathComponent("ca.pem").path }

    /// The raw messages received so far, in order.
    func messages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
    }

    /// `MAIL FROM` and the accepted `RCPT TO` of each message.
    func envelopes() throws -> [[String]] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".env") }.sorted()
            .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8).split(separator: "\n").map(String.init) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
