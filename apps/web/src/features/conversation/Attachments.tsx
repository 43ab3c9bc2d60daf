import { memo } from 'react';
import { Image } from 'antd';
import { FileOutlined } from '@ant-design/icons';
import type { Attachment } from '@kefu/shared';

const MAX_W = 220;
const MAX_H = 220;

function fit(w: number | null, h: number | null): { width: number; height: number } {
  if (!w || !h) return { width: MAX_W, height: 160 };
  const k = Math.min(1, MAX_W / w, MAX_H / h);
  return { width: Math.round(w * k), height: Math.round(h * k) };
}

export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Attachments of a message. Sizes are fixed from the stored dimensions so the virtualised
 * list measures each row once, before the image has loaded.
 */
export const Attachments = memo(function Attachments({ items }: { items: readonly Attachment[] }) {
  if (items.length === 0) return null;
  return (
    <div className="msg-attachments" data-testid="message-attachments">
      {items.map((a) => {
        if (a.kind === 'image') {
          const { width, height } = fit(a.width, a.height);
          return <Image key={a.id} src={a.thumbnailUrl ?? a.url} preview={{ src: a.url }} width={width} height={height} alt={a.name} className="msg-image" />;
        }
        if (a.kind === 'video') {
          const { width, height } = fit(a.width, a.height);
          return <video key={a.id} src={a.url} controls preload="metadata" width={width} height={height} className="msg-video" />;
        }
        if (a.kind === 'audio') return <audio key={a.id} src={a.url} controls preload="none" className="msg-audio" />;
        return (
          <a key={a.id} href={a.url} target="_blank" rel="noreferrer" className="msg-file" download={a.name}>
            <FileOutlined /> <span className="msg-file-name">{a.name}</span> <span className="msg-file-size">{fileSize(a.size)}</span>
          </a>
        );
      })}
    </div>
  );
});
