import { strict as assert } from 'assert';
import { formatBytes, hexDump, prettyJsonIfStructured, renderString, renderValue } from '../../../src/memory/valueRender';
import type { ValueView } from '../../../src/memory/store';

const b = (text: string) => Buffer.from(text, 'utf8');

function textOf(view: ValueView): Extract<ValueView, { kind: 'text' }> {
  assert.equal(view.kind, 'text');
  return view as Extract<ValueView, { kind: 'text' }>;
}

describe('memory/valueRender: strings', () => {
  it('pretty-prints a JSON object or array', () => {
    const view = textOf(renderString(b('{"a":1,"b":[1,2,{"c":null}],"e":{},"f":[]}'), 41));
    assert.equal(view.text, '{\n  "a": 1,\n  "b": [\n    1,\n    2,\n    {\n      "c": null\n    }\n  ],\n  "e": {},\n  "f": []\n}');
    assert.equal(view.language, 'json');
    assert.equal(view.truncated, false);
  });

  it('keeps JSON tokens exactly: big numbers, escapes, strings with brackets', () => {
    const source = '{"id":12345678901234567890,"s":"a,b:{c}[d] \\"q\\" \\u00e9","n":1.50e+10}';
    const pretty = prettyJsonIfStructured(source)!;
    assert.match(pretty, /12345678901234567890/);
    assert.match(pretty, /"a,b:\{c\}\[d\] \\"q\\" \\u00e9"/);
    assert.match(pretty, /1\.50e\+10/);
    assert.deepEqual(JSON.parse(pretty), JSON.parse(source));
  });

  it('leaves plain text, scalars and invalid JSON alone', () => {
    for (const text of ['hello world', '42', '"just a string"', '{"broken": ', 'abc123digest']) {
      const view = textOf(renderString(b(text), Buffer.byteLength(text)));
      assert.equal(view.text, text);
      assert.equal(view.language, 'plaintext');
    }
  });

  it('shows bytes that are not UTF-8 as a hex dump with a note', () => {
    const bytes = Buffer.from([0x48, 0x69, 0xff, 0x00, ...Array(20).fill(0x41)]);
    const view = textOf(renderString(bytes, bytes.length));
    assert.match(view.note!, /not UTF-8/);
    assert.match(view.text, /^Binary value/);
    assert.match(view.text, /00000000  48 69 ff 00 41 41 41 41  41 41 41 41 41 41 41 41  \|Hi\.\.AAAAAAAAAAAA\|/);
    assert.match(view.text, /00000010  41 41 41 41 /);
  });

  it('notes a preview: "Showing the first 1 MB of 52 MB."', () => {
    const preview = Buffer.alloc(1024 * 1024, 0x61);
    const view = textOf(renderString(preview, 52 * 1024 * 1024));
    assert.equal(view.truncated, true);
    assert.equal(view.totalBytes, 52 * 1024 * 1024);
    assert.match(view.note!, /^Showing the first 1 MB of 52 MB\. /);
    assert.ok(view.text.startsWith(view.note!));
  });

  it('does not call a text preview binary because it was cut inside a character', () => {
    const text = Buffer.from('é'.repeat(10), 'utf8');
    const view = textOf(renderString(text.subarray(0, 5), text.length));
    assert.doesNotMatch(view.text, /Binary/);
    assert.match(view.text, /éé$/);
  });

  it('hex-dumps a binary preview with both notes', () => {
    const view = textOf(renderString(Buffer.from([0xff, 0xfe, 0xfd]), 3 * 1024 * 1024));
    assert.match(view.note!, /not UTF-8.*Showing the first 3 B of 3 MB/);
  });
});

describe('memory/valueRender: collections', () => {
  it('renders a hash as a JSON object keeping field order', () => {
    const view = textOf(renderValue({ type: 'hash', entries: [[b('b'), b('2')], [b('10'), b('x')], [b('a'), Buffer.from([0xff])]], total: 3 }));
    assert.equal(view.text, '{\n  "b": "2",\n  "10": "x",\n  "a": "\\\\xff"\n}');
    assert.equal(view.language, 'json');
  });

  it('renders lists and sets as arrays, zsets with scores, streams as entries', () => {
    assert.equal(textOf(renderValue({ type: 'list', items: [b('one'), b('two "2"')], total: 2 })).text, '[\n  "one",\n  "two \\"2\\""\n]');
    assert.equal(textOf(renderValue({ type: 'set', items: [], total: 0 })).text, '[]');
    const zset = textOf(renderValue({ type: 'zset', items: [{ member: b('m'), score: '1.5' }, { member: b('n'), score: 'inf' }], total: 2 }));
    assert.deepEqual(JSON.parse(zset.text), [{ member: 'm', score: 1.5 }, { member: 'n', score: 'inf' }]);
    const stream = textOf(renderValue({ type: 'stream', entries: [{ id: '1-0', fields: [[b('event'), b('seen')], [b('n'), b('1')]] }], total: 1 }));
    assert.deepEqual(JSON.parse(stream.text), [{ id: '1-0', fields: { event: 'seen', n: '1' } }]);
  });

  it('nests elements that are JSON objects or arrays (chat turns, cached records) instead of escaping them', () => {
    const list = textOf(renderValue({ type: 'list', items: [b('{"role":"user","content":"hi"}'), b('plain'), b('[1,2]')], total: 3 }));
    assert.deepEqual(JSON.parse(list.text), [{ role: 'user', content: 'hi' }, 'plain', [1, 2]]);
    assert.match(list.text, /^\[\n  \{\n    "role": "user",/);
    const hash = textOf(renderValue({ type: 'hash', entries: [[b('profile'), b('{"tz":"UTC"}')], [b('n'), b('42')]], total: 2 }));
    assert.deepEqual(JSON.parse(hash.text), { profile: { tz: 'UTC' }, n: '42' });
  });
  it('notes when only the first elements are shown', () => {
    const view = textOf(renderValue({ type: 'list', items: [b('a'), b('b')], total: 52345 }, { memoryBytes: 999 }));
    assert.equal(view.truncated, true);
    assert.equal(view.totalBytes, 999);
    assert.match(view.note!, /Showing the first 2 of 52,345 items/);
    assert.equal(view.language, 'jsonc');
    assert.deepEqual(JSON.parse(view.text.split('\n').slice(1).join('\n')), ['a', 'b']);
  });

  it('cuts a huge element inside a collection', () => {
    const view = textOf(renderValue({ type: 'list', items: [Buffer.alloc(5000, 0x7a)], total: 1 }, { maxElementBytes: 10 }));
    assert.match(view.text, /"zzzzzzzzzz… \(4\.9 KB, cut\)"/);
  });

  it('says when a type cannot be shown', () => {
    const view = textOf(renderValue({ type: 'unsupported', redisType: 'ReJSON-RL' }));
    assert.match(view.text, /ReJSON-RL/);
  });
});

describe('memory/valueRender: helpers', () => {
  it('formats byte sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(1024 * 1024), '1 MB');
    assert.equal(formatBytes(52 * 1024 * 1024), '52 MB');
  });

  it('hex-dumps an empty buffer as nothing', () => {
    assert.equal(hexDump(Buffer.alloc(0)), '');
  });
});
