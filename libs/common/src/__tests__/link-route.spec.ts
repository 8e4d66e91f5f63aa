import { ServerTCP } from '@nestjs/microservices';
import { WorkflowPattern } from '@app/contracts';
import { isPlainPattern, LinkTcpServer } from '../link/link-route';

/** The protected routing step of a Nest server. */
const routing = (server: object) => server as unknown as { getRouteFromPattern(pattern: string): string };

describe('link routes', () => {
  const nest = routing(new ServerTCP({}));
  const link = routing(new LinkTcpServer({}));

  it('routes every workflow pattern as itself, without parsing it, as Nest would', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (const pattern of Object.values(WorkflowPattern)) {
        expect(isPlainPattern(pattern)).toBe(true);
        expect(link.getRouteFromPattern(pattern)).toBe(pattern);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    for (const pattern of Object.values(WorkflowPattern))
      expect(nest.getRouteFromPattern(pattern)).toBe(pattern);
  });

  it.each(['{"cmd":"sum","v":1}', '"quoted"', 'true', 'null', '42', ' spaced', ''])(
    'leaves %p to Nest (JSON, or not a plain name)',
    (pattern) => {
      expect(isPlainPattern(pattern)).toBe(false);
      expect(link.getRouteFromPattern(pattern)).toEqual(nest.getRouteFromPattern(pattern));
    },
  );
});
