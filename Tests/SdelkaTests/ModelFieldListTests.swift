import Fluent
import Testing
@testable import Sdelka

/// Models that list their fields by hand (to spare Fluent's reflection on every row) list
/// exactly the fields they declare, in declaration order: a field left out would silently be
/// neither saved nor loaded.
@Suite struct ModelFieldListTests {
    @Test func listedFieldsAreTheDeclaredOnes() {
        expectListed(Partner())
        expectListed(ContactDetail())
    }

    private func expectListed(_ model: some Fields, sourceLocation: SourceLocation = #_sourceLocation) {
        let declared = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
        let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
        #expect(listed == declared, "\(type(of: model)) lists \(listed.count) of \(declared.count) declared fields", sourceLocation: sourceLocation)
    }
}
