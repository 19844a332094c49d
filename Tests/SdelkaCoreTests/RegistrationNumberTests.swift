import Testing
@testable import SdelkaCore

/// Real numbers of real companies (Sberbank, Yandex, Gazprom) and hand-checked ones.
@Suite struct RegistrationNumberTests {
    @Test(arguments: ["7707083893", "7736207543", "7728168971"])
    func validTenDigitINN(inn: String) {
        #expect(RegistrationNumbers.checkINN(inn, legalForm: .legalEntity) == nil)
    }

    @Test func tenDigitCheckDigitWorkedExample() {
        // 7707083893: 7·2+7·4+0·10+7·3+0·5+8·9+3·4+8·6+9·8 = 14+28+0+21+0+72+12+48+72 = 267;
        // 267 mod 11 = 3; 3 mod 10 = 3 = the 10th digit.
        #expect(RegistrationNumbers.checkINN("7707083894", legalForm: .legalEntity)
                == "check digit does not match: the 10th digit should be 3")
    }

    @Test func twelveDigitINN() {
        #expect(RegistrationNumbers.checkINN("500100732259", legalForm: .soleProprietor) == nil)
        #expect(RegistrationNumbers.checkINN("526317984689", legalForm: .individual) == nil)
        #expect(RegistrationNumbers.checkINN("500100732258", legalForm: .soleProprietor)
                == "check digit does not match: the 12th digit should be 9")
        #expect(RegistrationNumbers.checkINN("500100732249", legalForm: .soleProprietor)
                == "check digit does not match: the 11th digit should be 5")
    }

    @Test func innLengthAndCharacters() {
        #expect(RegistrationNumbers.checkINN("7707083893", legalForm: .soleProprietor)
                == "must be 12 digits for a sole proprietor or an individual")
        #expect(RegistrationNumbers.checkINN("500100732259", legalForm: .legalEntity) == "must be 10 digits for a legal entity")
        #expect(RegistrationNumbers.checkINN("77070838 3", legalForm: .legalEntity) == "must contain digits only")
        #expect(RegistrationNumbers.checkINN("７７０７０８３８９３", legalForm: .legalEntity) == "must contain digits only", "full-width digits")
    }

    @Test func kpp() {
        #expect(RegistrationNumbers.checkKPP("773601001", legalForm: .legalEntity) == nil)
        #expect(RegistrationNumbers.checkKPP("7736AB001", legalForm: .legalEntity) == nil)
        #expect(RegistrationNumbers.checkKPP("77360100", legalForm: .legalEntity) == "must be 9 characters")
        #expect(RegistrationNumbers.checkKPP("773A01001", legalForm: .legalEntity)
                == "must be digits, with capital Latin letters allowed only in positions 5–6")
        #expect(RegistrationNumbers.checkKPP("7736ab001", legalForm: .legalEntity) != nil)
        #expect(RegistrationNumbers.checkKPP("7736АВ001", legalForm: .legalEntity)
                == "must be digits, with capital Latin letters allowed only in positions 5–6", "Cyrillic А and В")
        #expect(RegistrationNumbers.checkKPP("７７３６０１００１", legalForm: .legalEntity)
                == "must be digits, with capital Latin letters allowed only in positions 5–6", "full-width digits")
        #expect(RegistrationNumbers.checkKPP("77360100\u{301}", legalForm: .legalEntity) == "must be 9 characters", "a combining accent is no character")
        #expect(RegistrationNumbers.checkKPP("773601001", legalForm: .soleProprietor) == "applies to legal entities only")
    }

    @Test func ogrnAndOgrnip() {
        #expect(RegistrationNumbers.checkOGRN("1027700132195", legalForm: .legalEntity) == nil)
        #expect(RegistrationNumbers.checkOGRN("1027700229193", legalForm: .legalEntity) == nil)
        // 102770013219 mod 11 = 5 → the last digit must be 5.
        #expect(RegistrationNumbers.checkOGRN("1027700132194", legalForm: .legalEntity)
                == "check digit does not match: the last digit should be 5")
        #expect(RegistrationNumbers.checkOGRN("304500116000157", legalForm: .soleProprietor) == nil)
        #expect(RegistrationNumbers.checkOGRN("304500116000158", legalForm: .soleProprietor)
                == "check digit does not match: the last digit should be 7")
        #expect(RegistrationNumbers.checkOGRN("1027700132195", legalForm: .soleProprietor)
                == "must be 15 digits (OGRNIP) for a sole proprietor")
        #expect(RegistrationNumbers.checkOGRN("1027700132195", legalForm: .individual) == "does not apply to individuals")
    }

    @Test func validateCollectsFieldErrors() {
        let errors = RegistrationNumbers.validate(inn: "7707083894", kpp: "", ogrn: "1027700132195", legalForm: .legalEntity)
        #expect(errors.fields == ["inn": "check digit does not match: the 10th digit should be 3"])
    }
}

@Suite struct PhoneTests {
    @Test(arguments: [("+7 (495) 123-45-67", "74951234567"), ("8 495 123 45 67", "74951234567"),
                      ("495 123-45-67", "74951234567"), ("8-916-000-11-22", "79160001122"),
                      ("+44 20 7946 0958", "442079460958"), ("", "")])
    func normalised(input: String, digits: String) {
        #expect(Phone.normalize(input) == digits)
    }

    @Test func displayedTheRussianWay() {
        #expect(Phone.display("84951234567") == "+7 (495) 123-45-67")
        #expect(Phone.display("+44 20 7946 0958") == "+442079460958")
    }
}

@Suite struct PartnerNameTests {
    @Test(arguments: ["ООО \"Ромашка\"", "ромашка ооо", "OOO «Pомашка»", "Общество с ограниченной ответственностью «РОМАШКА»", "  ромашка  "])
    func variantsOfOneNameMatch(name: String) {
        #expect(PartnerName.key(name) == "ромашка")
    }

    @Test func differentNamesStayDifferent() {
        #expect(PartnerName.key("ИП Иванов Пётр") == "иванов петр")
        #expect(PartnerName.key("Apple Inc.") == "apple")
        #expect(PartnerName.key("Торговый дом Север") != PartnerName.key("Торговый дом Юг"))
        #expect(PartnerName.key("Ромашка-2") == "ромашка 2")
    }
}

extension RegistrationNumberTests {
    @Test func legalEntityINNGetsItsCheckDigit() {
        #expect(RegistrationNumbers.legalEntityINN("770708389") == "7707083893")
        #expect(RegistrationNumbers.legalEntityINN("77070838") == nil)
    }
}
