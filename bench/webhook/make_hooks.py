"""Writes N signed Adobe Commerce order webhooks (distinct increment ids) for the benchmark:
hooks/body-<i>.json and hooks/sig-<i>.txt, plus the RSA public key PEM for the tenant."""
import base64, json, pathlib, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

out = pathlib.Path(sys.argv[1]); n = int(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
(out / "public.pem").write_bytes(key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
for i in range(n):
    order = {"entity_id": 100000 + i, "increment_id": f"B{i:08d}", "state": "processing",
             "customer_email": f"buyer{i % 50}@example.com", "grand_total": 277.14,
             "order_currency_code": "USD",
             "items": [{"sku": f"SKU-{j:05d}", "qty_ordered": j + 1, "price": 10 + j} for j in range(5)]}
    body = json.dumps({"eventName": "observer.sales_order_place_after", "data": {"order": order}},
                      separators=(",", ":")).encode()
    signature = key.sign(base64.b64encode(body), padding.PKCS1v15(), hashes.SHA256())
    (out / f"body-{i}.json").write_bytes(body)
    (out / f"sig-{i}.txt").write_text(base64.b64encode(signature).decode())
