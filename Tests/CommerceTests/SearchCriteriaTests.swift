import Foundation
import Testing
@testable import Commerce

@Suite struct SearchCriteriaTests {
    @Test func emptyCriteriaListsEverythingWithSearchCriteriaEquals() {
        #expect(SearchCriteria().queryString == "searchCriteria=")
    }

    @Test func filtersSortsAndPagingBecomeFlatSnakeCaseParameters() {
        let criteria = SearchCriteria()
            .filter("updated_at", .gteq, "2024-07-01 00:00:00")
            .anyOf([.init("status", .eq, "processing"), .init("status", .eq, "complete")])
            .sorted(by: "updated_at").sorted(by: "entity_id", .descending)
            .page(3, size: 50)
        let items = criteria.queryItems.map { "\($0.name)=\($0.value)" }
        #expect(items == [
            "searchCriteria[filter_groups][0][filters][0][field]=updated_at",
            "searchCriteria[filter_groups][0][filters][0][value]=2024-07-01 00:00:00",
            "searchCriteria[filter_groups][0][filters][0][condition_type]=gteq",
            "searchCriteria[filter_groups][1][filters][0][field]=status",
            "searchCriteria[filter_groups][1][filters][0][value]=processing",
            "searchCriteria[filter_groups][1][filters][0][condition_type]=eq",
            "searchCriteria[filter_groups][1][filters][1][field]=status",
            "searchCriteria[filter_groups][1][filters][1][value]=complete",
            "searchCriteria[filter_groups][1][filters][1][condition_type]=eq",
            "searchCriteria[sortOrders][0][field]=updated_at",
            "searchCriteria[sortOrders][0][direction]=ASC",
            "searchCriteria[sortOrders][1][field]=entity_id",
            "searchCriteria[sortOrders][1][direction]=DESC",
            "searchCriteria[pageSize]=50",
            "searchCriteria[currentPage]=3",
        ])
        #expect(criteria.queryString.contains("searchCriteria%5Bfilter_groups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bvalue%5D=2024-07-01%2000%3A00%3A00"))
    }

    @Test func likeWildcardIsSentEncoded() {
        #expect(SearchCriteria().filter("sku", .like, "AB%").queryString.contains("=AB%25&"))
    }

    @Test(arguments: [
        (1, 100, 0, false), (1, 100, 100, false), (1, 100, 101, true), (2, 100, 201, true),
        (3, 100, 201, false), (1, 0, 5, false),
    ])
    func pagingStopsAtTotalCount(page: Int, size: Int, total: Int, more: Bool) {
        #expect(SearchCriteria.hasMorePages(after: page, pageSize: size, totalCount: total) == more)
    }

    @Test func timestampsUseMagentoFormatInUTC() {
        #expect(SearchCriteria.timestamp(Date(timeIntervalSince1970: 1_719_792_000)) == "2024-07-01 00:00:00")
    }
}
