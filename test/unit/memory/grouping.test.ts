import { strict as assert } from 'assert';
import { KeyLevelGrouping, groupKeys } from '../../../src/memory/grouping';

const keys = (...texts: string[]) => texts.map((text) => Buffer.from(text, 'utf8'));
const texts = (buffers: Buffer[]) => buffers.map((buffer) => buffer.toString('utf8'));

describe('memory/grouping', () => {
  it('splits one level into counted groups and leaves, sorted', () => {
    const level = groupKeys(keys('wf:b:1', 'wf:a:x:1', 'wf:a:2', 'wf:solo', 'other:1', 'wf:a:x:2', 'wf:apple'), Buffer.from('wf:'), ':');
    assert.deepEqual(
      level.groups.map((group) => [group.segment.toString(), group.prefix.toString(), group.keyCount]),
      [['a', 'wf:a:', 3], ['b', 'wf:b:', 1]],
    );
    assert.deepEqual(texts(level.leaves), ['wf:apple', 'wf:solo']);
  });

  it('groups the whole database under the empty prefix', () => {
    const level = groupKeys(keys('ns1:a', 'ns2:b', 'ns1:c', 'plain'), Buffer.alloc(0), ':');
    assert.deepEqual(level.groups.map((group) => [group.prefix.toString(), group.keyCount]), [['ns1:', 2], ['ns2:', 1]]);
    assert.deepEqual(texts(level.leaves), ['plain']);
  });

  it('supports a multi-character delimiter', () => {
    const level = groupKeys(keys('wf::a::1', 'wf::a::2', 'wf::b', 'wf::c:d'), Buffer.from('wf::'), '::');
    assert.deepEqual(level.groups.map((group) => [group.segment.toString(), group.prefix.toString(), group.keyCount]), [['a', 'wf::a::', 2]]);
    assert.deepEqual(texts(level.leaves), ['wf::b', 'wf::c:d']);
  });

  it('keeps binary keys as bytes', () => {
    const binary = Buffer.from([0x77, 0x66, 0x3a, 0xff, 0xfe, 0x3a, 0x01]);
    const leaf = Buffer.from([0x77, 0x66, 0x3a, 0x80]);
    const level = groupKeys([binary, leaf], Buffer.from('wf:'), ':');
    assert.deepEqual(level.groups[0].segment, Buffer.from([0xff, 0xfe]));
    assert.deepEqual(level.groups[0].prefix, Buffer.from([0x77, 0x66, 0x3a, 0xff, 0xfe, 0x3a]));
    assert.deepEqual(level.leaves, [leaf]);
  });

  it('counts a key SCAN returned twice once, and accumulates pages', () => {
    const grouping = new KeyLevelGrouping(Buffer.from('wf:'), ':');
    assert.equal(grouping.add(keys('wf:a:1', 'wf:a:2')), 2);
    assert.equal(grouping.add(keys('wf:a:1', 'wf:b:1', 'wf:leaf', 'wf:leaf')), 2);
    const level = grouping.snapshot();
    assert.deepEqual(level.groups.map((group) => group.keyCount), [2, 1]);
    assert.deepEqual(texts(level.leaves), ['wf:leaf']);
    assert.equal(grouping.size, 4);
  });

  it('handles empty segments and a key equal to the prefix', () => {
    const level = groupKeys(keys('wf::x', 'wf:'), Buffer.from('wf:'), ':');
    assert.deepEqual(level.groups.map((group) => [group.segment.toString(), group.prefix.toString()]), [['', 'wf::']]);
    assert.deepEqual(texts(level.leaves), ['wf:']);
  });

  it('sorts byte-wise and refuses an empty delimiter', () => {
    const level = groupKeys(keys('b:1', 'B:1', 'a:1', '10:1', '9:1'), Buffer.alloc(0), ':');
    assert.deepEqual(level.groups.map((group) => group.segment.toString()), ['10', '9', 'B', 'a', 'b']);
    assert.throws(() => groupKeys([], Buffer.alloc(0), ''), RangeError);
  });

  it('snapshots are copies the caller may keep', () => {
    const grouping = new KeyLevelGrouping(Buffer.alloc(0), ':');
    grouping.add(keys('a:1'));
    const before = grouping.snapshot();
    grouping.add(keys('a:2'));
    assert.equal(before.groups[0].keyCount, 1);
    assert.equal(grouping.snapshot().groups[0].keyCount, 2);
  });
});
