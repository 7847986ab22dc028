import { Container } from 'inversify';
import { provide, provideFrom, resolve, token } from './composition';

class Greeter {
  constructor(private readonly name: string) {}
  greet() {
    return `hello ${this.name}`;
  }
}

describe('typed tokens over inversify (the composition roots’ way)', () => {
  it('binds values and factory bindings, and resolves them as their type, once per container', () => {
    const NAME = token<string>('test.name');
    const GREETER = token<Greeter>('test.greeter');
    const container = new Container({ defaultScope: 'Singleton' });
    provide(container, NAME, 'world');
    let made = 0;
    provideFrom(container, GREETER, [NAME], (name) => (made++, new Greeter(name)));
    expect(resolve(container, GREETER).greet()).toBe('hello world');
    expect(resolve(container, GREETER)).toBe(resolve(container, GREETER));
    expect(made).toBe(1);
  });
});
