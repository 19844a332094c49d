import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SdelkaCore

/// A reply of an SMTP server: the code and the text of all its lines.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]
    var text: String { "\(code) " + lines.joined(separator: " ") }
}

/// Why a letter did not go: a temporary failure (no connection, a 4xx answer) is tried again
/// later; a permanent one (5xx) fails the letter.
enum SMTPError: Error, Equatable, CustomStringConvertible {
    case temporary(String)
    case permanent(String)

    var description: String {
        switch self { case .temporary(let text), .permanent(let text): return text }
    }

    static func from(_ reply: SMTPReply, during step: String) -> SMTPError {
        (500..<600).contains(reply.code) ? .permanent("\(step): \(reply.text)") : .temporary("\(step): \(reply.text)")
    }
}

/// One SMTP session (RFC 5321) over SwiftNIO: greeting, EHLO, STARTTLS or implicit TLS, AUTH
/// PLAIN/LOGIN, then any number of letters (RSET after a refused one), QUIT. Commands are
/// sent one at a time and each waits for its reply, with a timeout.
final class SMTPSession: @unchecked Sendable {
    private let channel: any NIOCore.Channel
    private let replies: SMTPReplyHandler
    private let settings: SMTPSettings
    private var extensions: [String] = []
    static let commandTimeout = TimeAmount.seconds(30)

    private init(channel: any NIOCore.Channel, replies: SMTPReplyHandler, settings: SMTPSettings) {
        self.channel = channel
        self.replies = replies
        self.settings = settings
    }

    /// Connects, greets and logs in; any failure here is temporary (the server may be back).
    static func open(_ settings: SMTPSettings, on group: any EventLoopGroup, heloName: String = "sdelka.localhost") async throws -> SMTPSession {
        let replies = SMTPReplyHandler()
        let tls = settings.security == .implicitTLS ? try makeTLS(settings) : nil
        let channel: any NIOCore.Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName(settings.host))) }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try channel.pipeline.syncOperations.addHandler(replies)
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw SMTPError.temporary("cannot connect to \(settings.host):\(settings.port): \(error)")
        }
        let session = SMTPSession(channel: channel, replies: replies, settings: settings)
        do {
            try await session.start(heloName: heloName)
        } catch {
            session.close()
            throw error
        }
        return session
    }

    private func start(heloName: String) async throws {
        try await expect(nil, 220, step: "greeting")
        try await hello(heloName)
        if settings.security == .startTLS {
            guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else { throw SMTPError.temporary("the server does not offer STARTTLS") }
            try await expect("STARTTLS", 220, step: "STARTTLS")
            let tls = try Self.makeTLS(settings)
            try await channel.pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: Self.serverName(settings.host)), position: .first).get()
            try await hello(heloName)   // RFC 3207: everything learnt before TLS is forgotten
        }
        if let user = settings.user {
            try await login(user: user, password: settings.password ?? "")
        }
    }

    private func hello(_ name: String) async throws {
        let reply = try await send("EHLO \(name)")
        if reply.code == 250 {
            extensions = Array(reply.lines.dropFirst())
        } else {
            try await expect("HELO \(name)", 250, step: "HELO")
            extensions = []
        }
    }

    private func login(user: String, password: String) async throws {
        let methods = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").dropFirst().map(String.init) ?? []
        if methods.contains("PLAIN") || !methods.contains("LOGIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await expect("AUTH PLAIN \(token)", 235, step: "AUTH")
        } else {
            try await expect("AUTH LOGIN", 334, step: "AUTH")
            try await expect(Data(user.utf8).base64EncodedString(), 334, step: "AUTH")
            try await expect(Data(password.utf8).base64EncodedString(), 235, step: "AUTH")
        }
    }

    /// Sends one letter. A refusal leaves the session usable for the next letter.
    func send(_ mail: OutgoingMail, envelopeFrom: String) async throws {
        do {
            try await expect("MAIL FROM:<\(envelopeFrom)>", 250, step: "MAIL FROM")
            var accepted = 0, refusals: [SMTPError] = []
            for recipient in mail.recipients {
                let reply = try await send("RCPT TO:<\(recipient)>")
                if reply.code == 250 || reply.code == 251 { accepted += 1 } else { refusals.append(.from(reply, during: "RCPT TO \(recipient)")) }
            }
            // Some recipients taking it is a sent letter; none is the worst refusal.
            guard accepted > 0 else {
                throw refusals.first { if case .permanent = $0 { return true } else { return false } } ?? refusals.first ?? SMTPError.permanent("no recipients")
            }
            try await expect("DATA", 354, step: "DATA")
            let data = Self.dotStuffed(mail.rendered(boundary: UUID().uuidString.lowercased())) + ".\r\n"
            try await expect(data, 250, step: "end of DATA", raw: true)
        } catch let error as SMTPError {
            if channel.isActive { _ = try? await send("RSET") }
            throw error
        }
    }

    func close() {
        if channel.isActive {
            channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n")).whenComplete { [channel] _ in channel.close(promise: nil) }
        }
    }

    /// RFC 5321 §4.5.2: a line that begins with a dot gets one more.
    static func dotStuffed(_ text: String) -> String {
        var out = text.hasPrefix(".") ? "." + text : text
        out = out.replacingOccurrences(of: "\r\n.", with: "\r\n..")
        return out.hasSuffix("\r\n") ? out : out + "\r\n"
    }

    private func expect(_ command: String?, _ code: Int, step: String, raw: Bool = false) async throws {
        let reply = try await send(command, raw: raw)
        guard reply.code == code else { throw SMTPError.from(reply, during: step) }
    }

    @discardableResult
    private func send(_ command: String?, raw: Bool = false) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let timeout = raw ? Self.commandTimeout * 2 : Self.commandTimeout
        let channel = self.channel, replies = self.replies
        channel.eventLoop.execute {
            replies.await(promise, timeout: timeout, on: channel.eventLoop)
            if let command { channel.writeAndFlush(ByteBuffer(string: raw ? command : command + "\r\n"), promise: nil) }
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError.temporary("connection to \(settings.host):\(settings.port) lost: \(error)")
        }
    }

    private static func makeTLS(_ settings: SMTPSettings) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCAFile {
            configuration.additionalTrustRoots = [.file(file)]
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError.temporary("TLS cannot be set up: \(error)")
        }
    }

    /// SNI takes a name, not an IP address.
    private static func serverName(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }
}

/// Cuts the byte stream into replies: lines `250-…` continue, `250 …` ends one.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    private var lines: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 10) else { return .needMoreData }
        let length = newline - buffer.readerIndex + 1
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        line = line.trimmingCharacters(in: .newlines)
        let code = Int(line.prefix(3)) ?? 0
        let more = line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-"
        lines.append(line.count > 4 ? String(line.dropFirst(4)) : "")
        if !more {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: lines)))
            lines = []
        }
        return .continue
    }
}

/// Hands each reply to the command waiting for it; a reply that comes first (the greeting)
/// waits for its command. Lives on the channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SMTPReply
    private var waiting: [EventLoopPromise<SMTPReply>] = []
    private var early: [SMTPReply] = []
    private var failure: (any Error)?

    func await(_ promise: EventLoopPromise<SMTPReply>, timeout: TimeAmount, on loop: any EventLoop) {
        if let failure { promise.fail(failure); return }
        if !early.isEmpty { promise.succeed(early.removeFirst()); return }
        waiting.append(promise)
        let task = loop.scheduleTask(in: timeout) { [weak self] in
            guard let self, let index = self.waiting.firstIndex(where: { $0.futureResult === promise.futureResult }) else { return }
            self.waiting.remove(at: index)
            promise.fail(SMTPError.temporary("the server did not answer in \(timeout.nanoseconds / 1_000_000_000) s"))
        }
        promise.futureResult.whenComplete { _ in task.cancel() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        if waiting.isEmpty { early.append(reply) } else { waiting.removeFirst().succeed(reply) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError.temporary("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError.temporary("the server closed the connection"))
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        failure = failure ?? error
        let pending = waiting
        waiting = []
        pending.forEach { $0.fail(error) }
    }
}
