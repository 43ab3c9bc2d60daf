// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import type { Attachment } from '@kefu/shared';
import { Attachments, fileSize } from './Attachments.tsx';

afterEach(cleanup);

const base = { mime: 'image/jpeg', size: 1000, width: null, height: null, thumbnailUrl: null } as const;

describe('Attachments', () => {
  it('renders images scaled into the bubble from their stored size, files as download links', () => {
    const items: Attachment[] = [
      { ...base, id: 'a1', kind: 'image', name: '破损照片.jpg', url: '/files/a1', thumbnailUrl: '/files/a1/thumb', width: 1100, height: 440 },
      { ...base, id: 'a2', kind: 'file', mime: 'application/pdf', name: '发票.pdf', url: '/files/a2', size: 2 * 1024 * 1024 + 1 },
    ];
    const { container } = render(<Attachments items={items} />);
    const img = container.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('/files/a1/thumb');
    expect(img.getAttribute('width')).toBe('220');
    expect(img.getAttribute('height')).toBe('88');
    const link = container.querySelector('a.msg-file')!;
    expect(link.getAttribute('href')).toBe('/files/a2');
    expect(link.textContent).toContain('发票.pdf');
    expect(link.textContent).toContain('2.0 MB');
  });

  it('renders nothing without attachments', () => {
    const { container } = render(<Attachments items={[]} />);
    expect(container.innerHTML).toBe('');
  });

  it('formats sizes', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(1536)).toBe('1.5 KB');
  });
});
