#!/usr/bin/env python3
"""Generates corpus.jsonl: labelled examples for the redaction precision/recall test.

Each line is {"text": ..., "label": ..., "start": ..., "end": ...} for a positive (the entity's
byte span in the UTF-8 text and its placeholder name without brackets), or
{"text": ..., "label": "NONE"} for a look-alike negative. Deterministic: a fixed seed, so running
it again rewrites the same file. Run from anywhere: python3 generate.py
"""
import base64
import json
import os
import random
import string

R = random.Random(20261125)
ALNUM = string.ascii_letters + string.digits


def rand(chars, n):
    return "".join(R.choice(chars) for _ in range(n))


def mixed(n):
    """Random token body with at least one digit, upper and lower case letter."""
    while True:
        s = rand(ALNUM, n)
        if any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s):
            return s


def luhn_complete(prefix, length):
    digits = prefix + rand(string.digits, length - len(prefix) - 1)
    for check in string.digits:
        total = 0
        for i, c in enumerate(reversed(digits + check)):
            d = int(c)
            if i % 2 == 1:
                d *= 2
                d -= 9 if d > 9 else 0
            total += d
        if total % 10 == 0:
            return digits + check


def luhn_ok(s):
    total = 0
    for i, c in enumerate(reversed([c for c in s if c.isdigit()])):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return total % 10 == 0


def group(s, sizes, sep):
    out, at = [], 0
    for size in sizes:
        out.append(s[at:at + size])
        at += size
    return sep.join(out)


def card():
    kind = R.choice(["visa", "mc", "amex", "disc", "mc2"])
    sep = R.choice([" ", "-", ""])
    if kind == "amex":
        n = luhn_complete(R.choice(["34", "37"]), 15)
        return group(n, [4, 6, 5], sep)
    prefix = {"visa": "4", "mc": R.choice(["51", "52", "53", "54", "55"]), "disc": "6011",
              "mc2": "2221"}[kind]
    n = luhn_complete(prefix, 16)
    return group(n, [4, 4, 4, 4], sep)


IBAN_FORMATS = {"DE": (22, "n"), "GB": (22, "gb"), "FR": (27, "n"), "NL": (18, "nl"),
                "ES": (24, "n"), "IT": (27, "it"), "CH": (21, "n"), "BE": (16, "n"),
                "AT": (20, "n"), "PL": (28, "n")}


def iban_check(country, bban):
    s = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in s)
    return "%02d" % (98 - int(num) % 97)


def iban(spaced=None):
    country = R.choice(sorted(IBAN_FORMATS))
    length, kind = IBAN_FORMATS[country]
    n = length - 4
    if kind == "gb":
        bban = rand(string.ascii_uppercase, 4) + rand(string.digits, n - 4)
    elif kind == "nl":
        bban = rand(string.ascii_uppercase, 4) + rand(string.digits, n - 4)
    elif kind == "it":
        bban = rand(string.ascii_uppercase, 1) + rand(string.digits, n - 1)
    else:
        bban = rand(string.digits, n)
    s = country + iban_check(country, bban) + bban
    if spaced is None:
        spaced = R.random() < 0.6
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if spaced else s


def ssn():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return "%03d-%02d-%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def cn_id():
    region = R.choice(["110105", "310104", "440305", "320102", "510107", "330106"])
    year = R.randint(1950, 2010)
    month = R.randint(1, 12)
    day = R.randint(1, 28)
    body = "%s%04d%02d%02d%03d" % (region, year, month, day, R.randint(0, 999))
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def ipv4():
    return ".".join(str(R.choice([R.randint(0, 255), R.randint(1, 99), 10, 192, 172, 8]))
                    for _ in range(4))


def ipv6():
    groups = ["%x" % R.randint(0, 0xFFFF) for _ in range(8)]
    groups[0] = R.choice(["2001", "fe80", "2a00", "2607", "fd00"])
    form = R.choice(["full", "zero", "compressed", "loop"])
    if form == "full":
        return ":".join(groups)
    if form == "zero":
        return ":".join("%04x" % int(g, 16) for g in groups)
    if form == "loop":
        return R.choice(["::1", "fe80::1", "2001:db8::1", "fd00::%x:%d" % (R.randint(1, 0xfff), R.randint(1, 9))])
    keep_left = R.randint(1, 3)
    keep_right = R.randint(1, 3)
    right = groups[8 - keep_right:]
    right[-1] = str(R.randint(1, 9999))
    return ":".join(groups[:keep_left]) + "::" + ":".join(right)


def phone():
    kind = R.choice(["e164", "us1", "us2", "us3", "uk", "de", "fr", "cn", "cn2", "intl"])
    d = lambda n: rand(string.digits, n)
    nz = lambda: str(R.randint(2, 9))
    if kind == "e164":
        return "+" + R.choice(["1", "44", "49", "33", "86", "91", "81"]) + nz() + d(8)
    if kind == "us1":
        return "(%s%s) %s%s-%s" % (nz(), d(2), nz(), d(2), d(4))
    if kind == "us2":
        return "%s%s-%s%s-%s" % (nz(), d(2), nz(), d(2), d(4))
    if kind == "us3":
        return "1-%s%s-%s%s-%s" % (nz(), d(2), nz(), d(2), d(4))
    if kind == "uk":
        return R.choice(["020 %s %s" % (d(4), d(4)), "07%s %s" % (d(3), d(6)),
                         "0161 %s %s" % (d(3), d(4))])
    if kind == "de":
        return R.choice(["030 %s" % d(8), "0171 %s" % d(7), "089/%s" % d(7), "(040) %s" % d(7)])
    if kind == "fr":
        return "0%d %s %s %s %s" % (R.randint(1, 9), d(2), d(2), d(2), d(2))
    if kind == "cn":
        return R.choice(["13", "15", "18", "17"]) + d(1) + R.choice(["", " ", "-"]) + d(4) + \
            R.choice(["", " ", "-"]) + d(4)
    if kind == "cn2":
        return R.choice(["010", "021", "0755"]) + "-" + d(8)
    return R.choice(["+44 20 %s %s" % (d(4), d(4)), "+1 %s%s %s%s %s" % (nz(), d(2), nz(), d(2), d(4)),
                     "+49 30 %s" % d(8), "+33 6 %s %s %s %s" % (d(2), d(2), d(2), d(2)),
                     "+86 138 %s %s" % (d(4), d(4))])


def email():
    first = R.choice(["alice", "bob", "chen.wei", "maria", "j.doe", "ops-team", "x", "li_na",
                      "support", "dev+alerts"])
    domain = R.choice(["example.com", "mail.example.org", "corp.example.co.uk", "gmail.com",
                       "university.edu", "startup.io", "example.de"])
    return first + str(R.randint(0, 99)) * R.randint(0, 1) + "@" + domain


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt():
    header = b64url(json.dumps({"alg": R.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": str(R.randint(1, 10**9)), "name": "user%d" % R.randint(1, 99),
                                 "iat": 1700000000 + R.randint(0, 10**7)}).encode())
    return header + "." + payload + "." + b64url(bytes(R.randrange(256) for _ in range(32)))


def pem():
    kind = R.choice(["RSA ", "EC ", "", "OPENSSH ", "ENCRYPTED "])
    body = base64.b64encode(bytes(R.randrange(256) for _ in range(R.choice([120, 300, 900])))).decode()
    lines = "\n".join(body[i:i + 64] for i in range(0, len(body), 64))
    return "-----BEGIN %sPRIVATE KEY-----\n%s\n-----END %sPRIVATE KEY-----" % (kind, lines, kind)


def api_key():
    kind = R.choice(["openai", "openai_proj", "anthropic", "aws", "aws_sts", "ghp", "gho", "ghs",
                     "github_pat", "slack_bot", "slack_user", "slack_app", "slack_hook", "google"])
    if kind == "openai":
        return "sk-" + mixed(48)
    if kind == "openai_proj":
        return "sk-proj-" + mixed(40) + "_" + mixed(40)
    if kind == "anthropic":
        return "sk-ant-api03-" + mixed(80) + "-" + mixed(12) + "AA"
    if kind == "aws":
        return "AKIA" + rand(string.ascii_uppercase + string.digits, 16)
    if kind == "aws_sts":
        return "ASIA" + rand(string.ascii_uppercase + string.digits, 16)
    if kind in ("ghp", "gho", "ghs"):
        return kind + "_" + mixed(36)
    if kind == "github_pat":
        return "github_pat_" + mixed(22) + "_" + mixed(59)
    if kind == "slack_bot":
        return "xoxb-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**12, 10**13), mixed(24))
    if kind == "slack_user":
        return "xoxp-%d-%d-%s" % (R.randint(10**10, 10**12), R.randint(10**12, 10**13), mixed(32))
    if kind == "slack_app":
        return "xapp-1-A%s-%d-%s" % (rand(string.ascii_uppercase + string.digits, 10),
                                     R.randint(10**12, 10**13), mixed(40).lower() + "9A")
    if kind == "slack_hook":
        return "https://hooks.slack.com/services/T%s/B%s/%s" % (
            rand(string.ascii_uppercase + string.digits, 8), rand(string.ascii_uppercase + string.digits, 10),
            mixed(24))
    return "AIza" + mixed(35)


PREFIXES = ["", "Contact me at ", "My number is ", "User said: ", "please use ", "log: value=",
            "你好，我的信息是 ", "Here it is -> ", "(", "\"", "[user] ", "Sure! ", "note ",
            "Customer record:\n  ", "- "]
SUFFIXES = ["", ".", " thanks", ", ok?", ")", "\"", " and that's it.", "\n", " — 谢谢", "!",
            " please keep it private.", ";"]


def positive(label, value, prefix=None, suffix=None):
    prefix = R.choice(PREFIXES) if prefix is None else prefix
    suffix = R.choice(SUFFIXES) if suffix is None else suffix
    if prefix == "(" and suffix == "":
        suffix = ")"
    text = prefix + value + suffix
    start = len(prefix.encode())
    return {"text": text, "label": label, "start": start, "end": start + len(value.encode())}


def secret_positive():
    key = R.choice(["api_key", "API_KEY", "password", "db_password", "client_secret", "token",
                    "access_token", "auth_token", "apiKey", "SECRET", "passwd", "pwd"])
    value = R.choice([mixed(R.randint(10, 30)), "hunter2" + str(R.randint(10, 99)),
                      rand(string.ascii_lowercase, 6) + str(R.randint(100, 999)) + "!"])
    form = R.choice(["env", "json", "yaml", "url", "py"])
    if form == "env":
        head, tail = key + "=", ""
    elif form == "json":
        head, tail = '{"%s": "' % key, '"}'
    elif form == "yaml":
        head, tail = key + ": ", ""
    elif form == "url":
        head, tail = "https://api.example.com/v1/data?%s=" % key, "&page=2"
    else:
        head, tail = '%s = "' % key, '"'
    prefix = R.choice(["", "config: ", "Set ", "curl '"]) + head
    return positive("SECRET", value, prefix=prefix, suffix=tail + R.choice(["", " ", "\n"]))


def positives():
    out = []
    gens = [("EMAIL", email, 35), ("PHONE", phone, 50), ("CREDIT_CARD", card, 30),
            ("IBAN", iban, 25), ("SSN", ssn, 20), ("CN_RESIDENT_ID", cn_id, 20),
            ("IP_ADDRESS", ipv4, 25), ("IP_ADDRESS", ipv6, 25), ("API_KEY", api_key, 50),
            ("JWT", jwt, 15), ("PRIVATE_KEY", pem, 12)]
    for label, gen, count in gens:
        for _ in range(count):
            out.append(positive(label, gen()))
    out.append(positive("SSN", "123-45-6789", prefix="SSN: ", suffix=""))
    out.append(positive("API_KEY", "AKIAIOSFODNN7EXAMPLE", prefix="aws_access_key_id = ", suffix=""))
    out.append(positive("API_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        prefix="aws_secret_access_key = ", suffix="\n"))
    out.append(positive("API_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                        prefix='"AWS_SECRET_ACCESS_KEY": "', suffix='"'))
    out.append(positive("IP_ADDRESS", "::ffff:192.0.2.128", prefix="mapped ", suffix=""))
    for _ in range(20):
        out.append(secret_positive())
    return out


def negatives():
    out = []
    d = lambda n: rand(string.digits, n)
    for _ in range(25):
        while True:
            n = R.choice("2345") + d(15)
            if not luhn_ok(n):
                break
        out.append("card ending " + group(n, [4, 4, 4, 4], R.choice([" ", "-", ""])) + " was declined")
    for _ in range(15):
        out.append("Order #%s shipped on 2024-%02d-%02d" % (d(R.choice([6, 8, 10])), R.randint(1, 12), R.randint(1, 28)))
    for _ in range(15):
        out.append("Invoice INV-%s-%s total $%d.%02d" % (d(4), d(5), R.randint(1, 9999), R.randint(0, 99)))
    for _ in range(20):
        out.append("at %d-%02d-%02dT%02d:%02d:%02dZ the job finished in %d ms" % (
            R.randint(2019, 2026), R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
            R.randint(0, 59), R.randint(0, 59), R.randint(1, 5000)))
    for _ in range(15):
        out.append("upgrade to version %d.%d.%d (build %d)" % (R.randint(0, 9), R.randint(0, 30), R.randint(0, 99), R.randint(100, 9999)))
    for _ in range(15):
        out.append("bad address %d.%d.%d.%d in the log" % (R.randint(256, 999), R.randint(0, 255), R.randint(0, 255), R.randint(0, 255)))
    for _ in range(10):
        out.append("release 1.%d.%d.%d.%d is out" % (R.randint(0, 9), R.randint(0, 9), R.randint(0, 9), R.randint(0, 9)))
    for _ in range(20):
        out.append("request id %08x-%04x-%04x-%04x-%012x" % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(16), R.getrandbits(16), R.getrandbits(48)))
    for _ in range(20):
        out.append("commit %s fixes the flaky test" % "".join(R.choice("0123456789abcdef") for _ in range(40)))
    for _ in range(15):
        out.append("call extension %s or room %s" % (d(4), d(3)))
    for _ in range(10):
        out.append("ISBN 978-%d-%s-%s-%d" % (R.randint(0, 9), d(3), d(5), R.randint(0, 9)))
    for _ in range(10):
        out.append("tracking number 1Z%s%s" % (rand(string.ascii_uppercase + string.digits, 6), d(10)))
    for w in ["sk-learn is a common typo for scikit-learn", "ask-me-anything thread", "task-runner v2",
              "the disk-usage report", "risk-free rate", "use sk-prefixed keys", "sk-this-is-not-a-real-key-just-words",
              "AKIA is the prefix of AWS key ids", "ghp_ tokens are GitHub PATs", "xoxb- tokens belong to bots",
              "eyJ is how base64 JSON starts", "-----BEGIN CERTIFICATE-----", "BEGIN PRIVATE KEY is a header",
              "the password: reset link expired", "token: see the docs", "api_key=YOUR_API_KEY",
              "password = get_password()", "api_key = os.environ[\"OPENAI_API_KEY\"]", "password: ********",
              "secret=${SECRET}", "token = <your-token>", "max_tokens: 1024", "tokens: 512",
              "std::vector<int> v;", "Foo::Bar::baz()", "a::b", "dead::beef", "12:30:45",
              "MAC 00:1A:2B:3C:4D:5E", "call me at 5", "room 101", "the year 2024", "pi is 3.14159265358979",
              "e = 2.718281828", "ratio 16:9", "score 0.87", "port 8080", "HTTP/1.1 200 OK",
              "user@localhost", "@mention the team", "email me (at) example dot com",
              "DE00 1234 5678 9012 3456 78", "GB00WEST12345698765432", "IBAN XX12 3456",
              "000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
              "110105194902301234", "110105194912310021", "99999999999999999X",
              "1234567890", "+1", "+44", "555-1234", "12 34 56", "0000 0000 0000 0000",
              "1111-1111-1111-1111", "7777 7777 7777 7777", "2024 11 25 1030",
              "python==3.11.4", "node v20.11.1", "numpy 1.26.4", "TLS 1.3",
              "the sk- prefix", "sk-ant- prefix", "AIza prefix", "github_pat_ prefix",
              "hooks.slack.com is Slack's webhook host", "xoxp- and xoxa- and xapp- prefixes"]:
        out.append(w)
    for _ in range(20):
        words = R.sample(["the", "model", "answered", "in", "about", "seconds", "with", "tokens",
                          "cost", "dollars", "latency", "p95", "was", "ms", "and", "throughput"], 8)
        out.append(" ".join(words) + " %d.%d %d %d%%" % (R.randint(0, 99), R.randint(0, 9), R.randint(0, 9999), R.randint(0, 100)))
    for _ in range(15):
        out.append("SHA256 %s" % "".join(R.choice("0123456789abcdef") for _ in range(64)))
    for _ in range(15):
        out.append("unix time %d, ms %d" % (R.randint(1600000000, 1800000000), R.randint(1600000000000, 1800000000000)))
    for _ in range(10):
        out.append("Base64 blob: %s" % base64.b64encode(bytes(R.randrange(256) for _ in range(24))).decode())
    for _ in range(10):
        out.append("coordinates %d.%04d, %d.%04d" % (R.randint(-90, 90), R.randint(0, 9999), R.randint(-180, 180), R.randint(0, 9999)))
    return [{"text": t, "label": "NONE"} for t in out]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = positives() + negatives()
    with open(os.path.join(here, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    pos = sum(1 for r in rows if r["label"] != "NONE")
    print("wrote %d positives and %d negatives" % (pos, len(rows) - pos))


if __name__ == "__main__":
    main()
