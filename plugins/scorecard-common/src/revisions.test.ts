import { gradedCommits, revisionsMatch } from './revisions';

describe('revisionsMatch', () => {
  const graded = {
    gitops: { commit: 'a1', content: 'folder-1' },
    source: { commit: 's1' },
  };

  it('holds while each input has the same content, whatever its commit', () => {
    expect(
      revisionsMatch(graded, {
        gitops: { commit: 'a2', content: 'folder-1' },
        source: { commit: 's1' },
      }),
    ).toBe(true);
  });

  it('fails when a content or a commit without content moved', () => {
    expect(
      revisionsMatch(graded, {
        gitops: { commit: 'a2', content: 'folder-2' },
        source: { commit: 's1' },
      }),
    ).toBe(false);
    expect(
      revisionsMatch(graded, {
        gitops: { commit: 'a1', content: 'folder-1' },
        source: { commit: 's2' },
      }),
    ).toBe(false);
  });

  it('fails when an input appeared or went away', () => {
    expect(revisionsMatch(graded, { source: { commit: 's1' } })).toBe(false);
    expect(revisionsMatch({ source: { commit: 's1' } }, { ...graded })).toBe(
      false,
    );
    expect(revisionsMatch({}, {})).toBe(true);
  });
});

describe('gradedCommits', () => {
  it('shows the commits only', () => {
    expect(
      gradedCommits({
        gitops: { commit: 'a1', content: 'folder-1' },
        source: { commit: 's1' },
      }),
    ).toEqual({ gitops: { commit: 'a1' }, source: { commit: 's1' } });
  });
});
