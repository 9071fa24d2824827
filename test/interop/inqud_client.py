"""Inqud clients written as the vendor's documentation writes them (Python requests), pointed at a keygate gateway.

Usage: inqud_client.py BASE_URL TOKEN_ID TOKEN_SECRET
Prints one JSON object: {case: [status, body]} for each case below.
"""
import hashlib
import hmac
import json
import secrets
import sys

import requests

base_url = sys.argv[1]
token_id = sys.argv[2]
token_secret = sys.argv[3]
results = {}


def record(name, http_response):
    results[name] = [http_response.status_code, http_response.content.decode()]


# HmacSHA256 POST example, as documented: sign json.dumps(data) + salt, send json=data.
def post_payout(secret=token_secret, tid=token_id, salt=None, tamper=False):
    salt = salt or secrets.token_hex(32)
    data = {"amount": 50, "cardNumber": "5555555555554444", "firstName": "John",
            "lastName": "Doe", "phoneNumber": "+111111111111",
            "method": "CC_VISAMC", "currency": "USD"}
    data_s = json.dumps(data) + salt
    dig = hmac.new(secret.encode('utf-8'), msg=data_s.encode('utf-8'),
                   digestmod=hashlib.sha256).digest()
    signature = dig.hex()
    headers = {
        'X-Token-API-Id': tid,
        'X-HMAC-SHA256-Signature': signature,
        'X-Salt': salt
    }
    url = base_url + '/inqud/v1/user/payments/payout'
    if tamper:
        data["amount"] = 5000
    return requests.post(url=url, headers=headers, json=data), salt


# HmacSHA256 GET example, as documented: sign '' + salt.
def get_balances(salt=None):
    salt = salt or secrets.token_hex(32)
    data = ''
    data_s = data + salt
    dig = hmac.new(token_secret.encode('utf-8'), msg=data_s.encode('utf-8'),
                   digestmod=hashlib.sha256).digest()
    signature = dig.hex()
    headers = {'X-Token-API-Id': token_id,
               'X-HMAC-SHA256-Signature': signature,
               'X-Salt': salt}
    url = base_url + '/inqud/v1/user/wallet/balances'
    return requests.get(url=url, headers=headers)


# Secret token GET example, as documented.
def simple_get(secret=token_secret):
    headers = {}
    headers['X-Token-API-Id'] = token_id
    headers['X-Token-API-Secret'] = secret
    url = base_url + '/inqud/v1/user/wallet/balances'
    return requests.get(url=url, headers=headers)


response, used_salt = post_payout()
record('post', response)
record('get', get_balances())
record('simple_get', simple_get())
record('post_tampered', post_payout(tamper=True)[0])
record('post_wrong_secret', post_payout(secret='not-the-secret')[0])
record('post_reused_salt', post_payout(salt=used_salt)[0])
record('post_unknown_token', post_payout(tid='TKN-00000000-0000-0000-0000-000000000000')[0])
record('simple_wrong_secret', simple_get(secret='wrong'))
print(json.dumps(results))
