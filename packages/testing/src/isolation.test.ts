import { mongoUrlForDatabase, uniqueName } from './isolation.js';

describe('mongoUrlForDatabase', () => {
  it.each([
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017/jobs'],
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/jobs'],
    ['mongodb://127.0.0.1:27017/other', 'mongodb://127.0.0.1:27017/jobs'],
    [
      'mongodb://127.0.0.1:27017?directConnection=true',
      'mongodb://127.0.0.1:27017/jobs?directConnection=true',
    ],
    ['mongodb://h:1/old?authSource=admin&w=1', 'mongodb://h:1/jobs?authSource=admin&w=1'],
    ['mongodb://u:p%2Fw@a:1,b:2,c:3/x?replicaSet=rs0', 'mongodb://u:p%2Fw@a:1,b:2,c:3/jobs?replicaSet=rs0'],
    [
      'mongodb+srv://cluster.example.net/?retryWrites=true',
      'mongodb+srv://cluster.example.net/jobs?retryWrites=true',
    ],
  ])('%s -> %s', (base, expected) => {
    expect(mongoUrlForDatabase(base, 'jobs')).toBe(expected);
  });

  it('rejects database names MongoDB refuses and URLs that are not mongodb://', () => {
    expect(() => mongoUrlForDatabase('mongodb://h:1', 'a.b')).toThrow(/database name/);
    expect(() => mongoUrlForDatabase('mongodb://h:1', '')).toThrow(/database name/);
    expect(() => mongoUrlForDatabase('http://h:1', 'jobs')).toThrow(/mongodb/);
    expect(() => mongoUrlForDatabase('mongodb:///x', 'jobs')).toThrow(/host/);
  });
});

describe('uniqueName', () => {
  it('starts with the sanitised prefix and contains the pid', () => {
    const name = uniqueName('Job Runner.enqueue');
    expect(name).toMatch(/^job_runner_enqueue_[a-z0-9_]+$/);
    expect(name).toContain(`_${process.pid.toString(36)}_`);
  });

  it('is unique across many calls and short enough for a MongoDB database name', () => {
    const names = new Set(
      Array.from({ length: 1000 }, () => uniqueName('a_rather_long_prefix_for_a_queue_name')),
    );
    expect(names.size).toBe(1000);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
  });

  it('still yields a usable name from an unusable prefix', () => {
    expect(uniqueName('...')).toMatch(/^test_/);
  });
});
