import Testing

@testable import Simulator

/// Funding times and rates: a pure function of the seed, the symbol and the time.
@Suite struct FundingScheduleTests {
    let schedule = FundingSchedule(seed: 42)
    static let eightHours: Int64 = 8 * 3_600_000

    @Test(arguments: [Int64(0), 1, 28_799_999, 28_800_000, 1_795_548_744_700, -1])
    func fundingTimesAreTheEightHourMarks(_ time: Int64) {
        let mark = schedule.fundingTime(atOrBefore: time)
        #expect(mark % Self.eightHours == 0 && mark <= time && time - mark < Self.eightHours)
        #expect(schedule.nextFundingTime(after: time) == mark + Self.eightHours)
    }

    @Test func ratesFollowTheClampedFormulaWithinTheCap() {
        let spec = SymbolSpec.bySymbol["BTCUSDT"]!
        var atInterest = 0
        for step in 0..<300 {
            let time = Int64(step) * Self.eightHours
            let rate = schedule.rate(spec, at: time)
            #expect(abs(rate) <= FundingSchedule.cap)
            #expect(rate == schedule.rate(spec, at: time), "the same time gives the same rate")
            let premium = schedule.premium(spec, at: time)
            #expect(rate == min(FundingSchedule.cap, premium + min(50_000, max(-50_000, 10_000 - premium))))
            if rate == FundingSchedule.interestRate { atInterest += 1 }
        }
        #expect(atInterest > 150 && atInterest < 300, "mostly 0.01 %, at times moved by the premium: \(atInterest)")
    }

    @Test func timesInAWindowAreTheMarksInIt() {
        let start = 10 * Self.eightHours + 5
        #expect(
            schedule.times(from: start, through: start + 3 * Self.eightHours, limit: 10, latest: false)
                == [11, 12, 13].map { $0 * Self.eightHours })
        #expect(
            schedule.times(from: 0, through: 20 * Self.eightHours, limit: 2, latest: true)
                == [19, 20].map { $0 * Self.eightHours })
        #expect(schedule.times(from: 5, through: 4, limit: 2, latest: false).isEmpty)
        #expect(
            FundingSchedule(seed: 1, interval: 60_000).times(from: 0, through: 120_000, limit: 5, latest: false) == [
                0, 60_000, 120_000,
            ])
    }
}
