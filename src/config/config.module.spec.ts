import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfig } from './app-config';
import { APP_CONFIG_NAMESPACE, ConfigModule } from './config.module';
import { loadConfig } from './load-config';

describe('ConfigModule', () => {
  it('serves the validated config as AppConfig and through ConfigService, not from process.env', async () => {
    const config = loadConfig({ JWT_SECRET: 'a-long-enough-test-secret', PORT: '8123' });
    process.env.PORT_FROM_PROCESS_ENV_TEST = 'ignored';
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule.forConfig(config)],
      }).compile();
      const injected = moduleRef.get(AppConfig);
      expect(injected).toBe(config);
      expect(injected.isProduction).toBe(false);
      const service = moduleRef.get(ConfigService);
      expect(service.get<AppConfig>(APP_CONFIG_NAMESPACE)?.port).toBe(8123);
      expect(service.get('PORT_FROM_PROCESS_ENV_TEST')).toBeUndefined();
      await moduleRef.close();
    } finally {
      delete process.env.PORT_FROM_PROCESS_ENV_TEST;
    }
  });
});
