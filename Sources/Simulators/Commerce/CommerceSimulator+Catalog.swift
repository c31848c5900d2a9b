import Foundation

extension CommerceSimulator {
    func getProduct(sku: String) -> CommerceSimResponse {
        guard let product = lock.withLock({ products[sku.lowercased()] }) else {
            return .magentoError(404, "The product that was requested doesn't exist. Verify the product and try again.")
        }
        return .json(200, product)
    }

    /// `POST /V1/products` and `PUT /V1/products/{sku}`: both upsert by SKU; the path wins.
    func saveProduct(_ request: CommerceSimRequest, sku: String?) -> CommerceSimResponse {
        guard let body = request.jsonBody as? [String: Any], let product = body["product"] as? [String: Any] else {
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "product"])
        }
        let result = upsertProduct(product, sku: sku)
        if let error = result.error { return .magentoError(400, error) }
        return .json(200, result.product ?? [:])
    }

    /// `ProductRepository::save`: look up by SKU (case-insensitive, like MySQL), merge, save.
    func upsertProduct(_ input: [String: Any], sku pathSku: String?) -> (product: [String: Any]?, error: String?) {
        guard let sku = pathSku ?? input["sku"] as? String, !sku.isEmpty else {
            return (nil, "The \"sku\" attribute value is empty. Set the attribute and try again.")
        }
        let now = Self.timestamp()
        return lock.withLock {
            var product = products[sku.lowercased()] ?? [
                "id": nextProductId, "sku": sku, "attribute_set_id": 4, "type_id": "simple",
                "status": 1, "visibility": 4, "price": 0, "created_at": now,
                "extension_attributes": ["website_ids": [1]],
            ]
            if products[sku.lowercased()] == nil {
                if input["name"] == nil { return (nil, "The \"name\" attribute value is empty. Set the attribute and try again.") }
                nextProductId += 1
            }
            for (key, value) in input where key != "id" && key != "extension_attributes" { product[key] = value }
            product["sku"] = sku
            product["updated_at"] = now
            var ext = product["extension_attributes"] as? [String: Any] ?? [:]
            let inputExt = input["extension_attributes"] as? [String: Any] ?? [:]
            for (key, value) in inputExt where key != "stock_item" { ext[key] = value }
            var stock = ext["stock_item"] as? [String: Any] ?? [
                "item_id": product["id"]!, "product_id": product["id"]!, "stock_id": 1, "qty": 0, "is_in_stock": false,
            ]
            for (key, value) in inputExt["stock_item"] as? [String: Any] ?? [:] { stock[key] = value }
            ext["stock_item"] = stock
            product["extension_attributes"] = ext
            products[sku.lowercased()] = product
            return (product, nil)
        }
    }

    func asyncProducts(_ request: CommerceSimRequest, bulk isBulk: Bool) -> CommerceSimResponse {
        let bodies: [[String: Any]]
        if isBulk {
            guard let list = request.jsonBody as? [[String: Any]] else {
                return .magentoError(400, "Request body must be a JSON array of operations.")
            }
            bodies = list
        } else {
            guard let one = request.jsonBody as? [String: Any] else {
                return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "product"])
            }
            bodies = [one]
        }
        var products: [[String: Any]] = []
        for body in bodies {
            guard let product = body["product"] as? [String: Any] else {
                return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "product"])
            }
            products.append(product)
        }
        let topic = request.method == "PUT" ? "async.magento.catalog.api.productrepositoryinterface.save.put"
            : "async.magento.catalog.api.productrepositoryinterface.save.post"
        return .json(202, bulk.enqueue(products: products, topic: topic, now: Self.timestamp()))
    }

    func createCustomer(_ request: CommerceSimRequest) -> CommerceSimResponse {
        guard let body = request.jsonBody as? [String: Any], var customer = body["customer"] as? [String: Any] else {
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "customer"])
        }
        for field in ["email", "firstname", "lastname"] where (customer[field] as? String ?? "").isEmpty {
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": field])
        }
        let now = Self.timestamp()
        return lock.withLock {
            let website = customer["website_id"] as? Int ?? 1
            if duplicateEmail(customer["email"] as! String, website: website, except: nil) {
                return .magentoError(400, "A customer with the same email address already exists in an associated website.")
            }
            customer["id"] = nextCustomerId
            nextCustomerId += 1
            customer["website_id"] = website
            customer["group_id"] = customer["group_id"] ?? 1
            customer["store_id"] = customer["store_id"] ?? 1
            customer["created_at"] = now
            customer["updated_at"] = now
            customer["created_in"] = "Default Store View"
            customer["addresses"] = customer["addresses"] ?? []
            customer["disable_auto_group_change"] = 0
            customer["custom_attributes"] = customer["custom_attributes"] ?? []
            customers[customer["id"] as! Int] = customer
            return .json(200, customer)
        }
    }

    /// `PUT /V1/customers/{id}`: the path id overrides `customer.id`.
    func updateCustomer(_ request: CommerceSimRequest, id: String) -> CommerceSimResponse {
        guard let body = request.jsonBody as? [String: Any], let input = body["customer"] as? [String: Any] else {
            return .magentoError(400, "\"%fieldName\" is required. Enter and try again.", ["fieldName": "customer"])
        }
        return lock.withLock {
            guard let key = Int(id), var customer = customers[key] else {
                return .magentoError(404, "No such entity with %fieldName = %fieldValue",
                                     ["fieldName": "customerId", "fieldValue": id])
            }
            for (field, value) in input { customer[field] = value }
            customer["id"] = key
            let email = customer["email"] as? String ?? ""
            if duplicateEmail(email, website: customer["website_id"] as? Int ?? 1, except: key) {
                return .magentoError(400, "A customer with the same email address already exists in an associated website.")
            }
            customer["updated_at"] = Self.timestamp()
            customers[key] = customer
            return .json(200, customer)
        }
    }

    func getCustomer(_ id: String) -> CommerceSimResponse {
        guard let key = Int(id), let customer = lock.withLock({ customers[key] }) else {
            return .magentoError(404, "No such entity with %fieldName = %fieldValue",
                                 ["fieldName": "customerId", "fieldValue": id])
        }
        return .json(200, customer)
    }

    /// Call with the lock held.
    private func duplicateEmail(_ email: String, website: Int, except: Int?) -> Bool {
        customers.values.contains {
            ($0["email"] as? String)?.lowercased() == email.lowercased()
                && ($0["website_id"] as? Int ?? 1) == website && ($0["id"] as? Int) != except
        }
    }
}
