/// The Connector module owns the tenants and what belongs to them: the tenant document and its
/// validation (`TenantValidator`, pure), sealed credentials (`Vault`), their storage
/// (`TenantStore`) and API tokens (`TokenStore`). Later: mappings, the sync and posting flows.
///
/// Decisions live in plain values (`CompanyURL`, `CommerceBaseURL`, `TenantSettings`); SQL lives
/// in the stores, which take those values and never validate themselves.
public enum Connector {}
