#!/usr/bin/env node
// Decodes an OTLP export request with the official OpenTelemetry JS decoder and prints it as
// canonical JSON, so the C++ tests can compare what llmtrace encoded with what an independent,
// widely deployed implementation reads.
//
//   node decode_otlp.js <traces|metrics|logs> <proto|json> <input-file>
//
// The decoder is the protobufjs static module generated from opentelemetry-proto and shipped in
// @opentelemetry/otlp-transformer@0.52.1 (build/src/generated/root.js).
//
// Output (stdout, one JSON document): Type.toObject(message, {longs: String, enums: Number,
// defaults: false, arrays: true, json: true}) with these conversions:
//   - traceId / spanId / parentSpanId: lower-case hex (OTLP/JSON's form);
//   - bytesValue and any other bytes field: base64;
//   - doubleValue: a JSON number, except NaN / Infinity / -Infinity, which are strings (the
//     protobuf JSON mapping), and negative zero, which is printed as -0.0 (JSON allows "-0",
//     but parsers that classify numbers, like simdjson, read it as the integer 0);
//   - Span.flags and Span.Link.flags: root.js 0.52.1 predates these fields (OTLP 1.1), so it
//     skips them. This script reads them itself (see extractProtoFlags) and puts them back on
//     the decoded spans and links as numbers, so the caller can still check them.
//
// JSON input is checked strictly, because fromObject silently ignores what it does not know:
//   - every key must be a field of its message (unknown or misspelled keys are errors);
//   - ids must be hex of the right length;
//   - after fromObject, the canonical form must equal the input, so a value of the wrong JSON
//     type (an int64 as a number, an enum as a name, ...) is reported instead of coerced.
//
// Exit status: 0 on success; 1 on a decode or validation error (message on stderr); 2 on usage
// or setup errors.
'use strict';

const fs = require('fs');
const path = require('path');

function die(code, message) {
  process.stderr.write(`decode_otlp: ${message}\n`);
  process.exit(code);
}

const ROOT_JS = path.join(__dirname, 'node_modules', '@opentelemetry', 'otlp-transformer',
                          'build', 'src', 'generated', 'root.js');
let root;
try {
  root = require(ROOT_JS);
} catch (e) {
  die(2, `cannot load ${ROOT_JS} (${e.message}); run 'npm ci' in ${__dirname} ` +
             `(scripts/setup.sh does it)`);
}

const v1 = root.opentelemetry.proto;
const SIGNALS = {
  traces: v1.collector.trace.v1.ExportTraceServiceRequest,
  metrics: v1.collector.metrics.v1.ExportMetricsServiceRequest,
  logs: v1.collector.logs.v1.ExportLogsServiceRequest,
};
const SPAN = v1.trace.v1.Span;
const LINK = v1.trace.v1.Span.Link;
const ID_LENGTHS = {traceId: 16, spanId: 8, parentSpanId: 8};
const TO_OBJECT_OPTIONS = {longs: String, enums: Number, bytes: Array, defaults: false,
                           arrays: true, json: true};

// ---------------------------------------------------------------------------------------------
// Canonical form of a decoded message.

function toHex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

// Walks toObject's output: ids to hex, other bytes (arrays of numbers under a bytes key) to
// base64. Only the known bytes fields are touched.
const BYTES_KEYS = new Set(['bytesValue']);
function canonicalize(value, key) {
  if (Array.isArray(value)) {
    if (key in ID_LENGTHS) return toHex(value);
    if (BYTES_KEYS.has(key)) return Buffer.from(value).toString('base64');
    return value.map((element) => canonicalize(element, undefined));
  }
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = canonicalize(v, k);
    return out;
  }
  return value;
}

// JSON.stringify loses the sign of -0; this printer keeps it.
function stringify(value) {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0.0';
    if (!Number.isFinite(value)) throw new Error(`non-finite number ${value} in output`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`)
                 .join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Span.flags (field 16) and Span.Link.flags (field 6), fixed32, unknown to root.js 0.52.1.
// A minimal wire walker: ExportTraceServiceRequest.resource_spans(1) -> ResourceSpans.scope_spans
// (2) -> ScopeSpans.spans(2) -> Span.{flags(16), links(13) -> Link.flags(6)}. It returns, per
// span in decode order, {flags, links: [flags...]} with undefined where a flag is absent.

function readVarint(buf, state) {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (state.pos >= state.end) throw new Error('truncated varint');
    const byte = buf[state.pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
  throw new Error('varint too long');
}

// Calls onField(field, wireType, start, end) for each field of the message in [start, end);
// for length-delimited fields start/end delimit the payload, for fixed32 the 4 bytes.
function forEachField(buf, start, end, onField) {
  const state = {pos: start, end};
  while (state.pos < end) {
    const tag = Number(readVarint(buf, state));
    const field = tag >>> 3;
    const wireType = tag & 7;
    let fieldStart = state.pos;
    switch (wireType) {
      case 0: readVarint(buf, state); break;
      case 1: state.pos += 8; break;
      case 2: {
        const length = Number(readVarint(buf, state));
        fieldStart = state.pos;
        state.pos += length;
        break;
      }
      case 5: state.pos += 4; break;
      default: throw new Error(`unsupported wire type ${wireType}`);
    }
    if (state.pos > end) throw new Error('field runs past the end of its message');
    onField(field, wireType, fieldStart, state.pos);
  }
}

function extractProtoFlags(buf) {
  const spans = [];
  forEachField(buf, 0, buf.length, (f, wt, s, e) => {
    if (f !== 1 || wt !== 2) return;
    forEachField(buf, s, e, (f2, wt2, s2, e2) => {
      if (f2 !== 2 || wt2 !== 2) return;
      forEachField(buf, s2, e2, (f3, wt3, s3, e3) => {
        if (f3 !== 2 || wt3 !== 2) return;
        const span = {flags: undefined, links: []};
        forEachField(buf, s3, e3, (f4, wt4, s4, e4) => {
          if (f4 === 16) {
            if (wt4 !== 5) throw new Error(`Span.flags has wire type ${wt4}, want 5 (fixed32)`);
            span.flags = buf.readUInt32LE(s4);
          } else if (f4 === 13 && wt4 === 2) {
            let linkFlags;
            forEachField(buf, s4, e4, (f5, wt5, s5) => {
              if (f5 !== 6) return;
              if (wt5 !== 5) throw new Error(`Link.flags has wire type ${wt5}, want 5 (fixed32)`);
              linkFlags = buf.readUInt32LE(s5);
            });
            span.links.push(linkFlags);
          }
        });
        spans.push(span);
      });
    });
  });
  return spans;
}

// Calls fn(spanObject) for each span of a canonical traces request, in order.
function forEachSpan(request, fn) {
  for (const rs of request.resourceSpans || []) {
    for (const ss of rs.scopeSpans || []) {
      for (const span of ss.spans || []) fn(span);
    }
  }
}

function injectFlags(request, flagsPerSpan) {
  let i = 0;
  forEachSpan(request, (span) => {
    const recorded = flagsPerSpan[i++];
    if (recorded === undefined) throw new Error('span count mismatch while restoring flags');
    if (recorded.flags !== undefined) span.flags = recorded.flags;
    const links = span.links || [];
    if (links.length !== recorded.links.length) {
      throw new Error('link count mismatch while restoring flags');
    }
    links.forEach((link, j) => {
      if (recorded.links[j] !== undefined) link.flags = recorded.links[j];
    });
  });
  if (i !== flagsPerSpan.length) throw new Error('span count mismatch while restoring flags');
}

// ---------------------------------------------------------------------------------------------
// JSON input.

function fail(where, message) {
  throw new Error(where ? `${where}: ${message}` : message);
}

// OTLP/JSON ids are hex; protobuf JSON (what fromObject speaks) wants bytes. Returns a copy of
// the input with ids as Buffers.
function idsToBytes(value, where) {
  if (Array.isArray(value)) return value.map((v, i) => idsToBytes(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    const here = where ? `${where}.${k}` : k;
    if (k in ID_LENGTHS && typeof v === 'string') {
      if (!/^([0-9a-fA-F]{2})*$/.test(v) || v.length !== 2 * ID_LENGTHS[k]) {
        fail(here, `expected ${2 * ID_LENGTHS[k]} hex digits, got ${JSON.stringify(v)}`);
      }
      out[k] = Buffer.from(v, 'hex');
    } else {
      out[k] = idsToBytes(v, here);
    }
  }
  return out;
}

// Removes Span.flags / Link.flags (unknown to root.js 0.52.1) from a traces request, checking
// they are uint32 numbers; returns them per span, like extractProtoFlags.
function takeJsonFlags(request) {
  const spans = [];
  const take = (object, where) => {
    if (!('flags' in object)) return undefined;
    const flags = object.flags;
    delete object.flags;
    if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
      fail(where, `flags must be a uint32 number, got ${JSON.stringify(flags)}`);
    }
    return flags;
  };
  (request.resourceSpans || []).forEach((rs, r) => {
    (rs.scopeSpans || []).forEach((ss, s) => {
      (ss.spans || []).forEach((span, i) => {
        const where = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        const entry = {flags: take(span, `${where}.flags`), links: []};
        (span.links || []).forEach((link, j) => {
          entry.links.push(take(link, `${where}.links[${j}].flags`));
        });
        spans.push(entry);
      });
    });
  });
  return spans;
}

// Every key of `input` must be a field of `message` (the object fromObject built from it).
function checkKnownKeys(input, message, where) {
  if (Array.isArray(input)) {
    input.forEach((v, i) => checkKnownKeys(v, Array.isArray(message) ? message[i] : undefined,
                                           `${where}[${i}]`));
    return;
  }
  if (input === null || typeof input !== 'object' || Buffer.isBuffer(input)) return;
  if (message === null || typeof message !== 'object') {
    fail(where, 'an object where the schema has a scalar');
  }
  const known = Object.getPrototypeOf(message);
  for (const [k, v] of Object.entries(input)) {
    const here = where ? `${where}.${k}` : k;
    if (!(k in known)) fail(here, 'unknown field (fromObject would drop it)');
    checkKnownKeys(v, message[k], here);
  }
}

// The decoded canonical form must say what the input said. Allowed differences: the decoder adds
// empty repeated fields (arrays: true) the input left out, and ids compare case-insensitively.
function checkSameAsInput(input, decoded, where) {
  if (Array.isArray(input)) {
    if (!Array.isArray(decoded) || decoded.length !== input.length) {
      fail(where, `array of ${input.length} decoded as ${stringify(decoded)}`);
    }
    input.forEach((v, i) => checkSameAsInput(v, decoded[i], `${where}[${i}]`));
    return;
  }
  if (input !== null && typeof input === 'object') {
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
      fail(where, `object decoded as ${stringify(decoded)}`);
    }
    for (const [k, v] of Object.entries(input)) {
      checkSameAsInput(v, decoded[k], where ? `${where}.${k}` : k);
    }
    for (const [k, v] of Object.entries(decoded)) {
      if (k in input) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      fail(where ? `${where}.${k}` : k, `decoded value ${stringify(v)} absent from the input`);
    }
    return;
  }
  const key = where.slice(where.lastIndexOf('.') + 1);
  if (typeof input === 'string' && key in ID_LENGTHS && typeof decoded === 'string' &&
      input.toLowerCase() === decoded) {
    return;
  }
  if (!Object.is(input, decoded)) {
    fail(where, `input ${stringify(input)} (${typeof input}) decoded as ` +
                    `${stringify(decoded)} (${typeof decoded})`);
  }
}

// ---------------------------------------------------------------------------------------------

function decodeProto(Type, signal, bytes) {
  let message;
  try {
    message = Type.decode(bytes);
  } catch (e) {
    fail('', `protobuf decode failed: ${e.message}`);
  }
  const problem = Type.verify(message);
  if (problem) fail('', `decoded message does not verify: ${problem}`);
  const out = canonicalize(Type.toObject(message, TO_OBJECT_OPTIONS));
  if (signal === 'traces') injectFlags(out, extractProtoFlags(bytes));
  return out;
}

function decodeJson(Type, signal, text) {
  let input;
  try {
    input = JSON.parse(text);
  } catch (e) {
    fail('', `invalid JSON: ${e.message}`);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail('', 'the request must be a JSON object');
  }
  const flags = signal === 'traces' ? takeJsonFlags(input) : [];
  let message;
  try {
    message = Type.fromObject(idsToBytes(input, ''));
  } catch (e) {
    fail('', `fromObject failed: ${e.message}`);
  }
  checkKnownKeys(input, message, '');
  const problem = Type.verify(message);
  if (problem) fail('', `message does not verify: ${problem}`);
  const out = canonicalize(Type.toObject(message, TO_OBJECT_OPTIONS));
  checkSameAsInput(input, out, '');
  if (signal === 'traces') injectFlags(out, flags);
  return out;
}

function main(argv) {
  if (argv.length !== 3 || !(argv[0] in SIGNALS) || !['proto', 'json'].includes(argv[1])) {
    die(2, 'usage: node decode_otlp.js <traces|metrics|logs> <proto|json> <input-file>');
  }
  const [signal, format, file] = argv;
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    die(2, `cannot read ${file}: ${e.message}`);
  }
  try {
    const Type = SIGNALS[signal];
    let out;
    if (format === 'proto') {
      out = decodeProto(Type, signal, bytes);
    } else {
      let text;
      try {
        text = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
      } catch (e) {
        fail('', 'the JSON text is not valid UTF-8');
      }
      out = decodeJson(Type, signal, text);
    }
    process.stdout.write(`${stringify(out)}\n`);
  } catch (e) {
    die(1, `${signal} ${format} ${file}: ${e.message}`);
  }
}

main(process.argv.slice(2));
