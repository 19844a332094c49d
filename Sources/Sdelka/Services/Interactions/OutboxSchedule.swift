import NIOCore
import Vapor

/// Hands queued messages on every few seconds inside the server (mailings' due recipients to
/// the outbox, then letters over SMTP and SMS to the gateway); each kind on its own, so that one being down does not hold up the other.
struct OutboxSchedule: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: RepeatedTask? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        guard let interval = app.sdelka.outboxInterval else { return }
        box.task = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(2), delay: .milliseconds(Int64(interval * 1000))) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do { try await MailingDispatcher.tick(app) } catch { app.logger.report(error: error) }
                async let mail: Void = { do { try await MailSender.drain(app) } catch { app.logger.report(error: error) } }()
                async let sms: Void = { do { try await SMSSender.tick(app) } catch { app.logger.report(error: error) } }()
                _ = await (mail, sms)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
    }
}
