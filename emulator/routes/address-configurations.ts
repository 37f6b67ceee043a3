import { type Request, Router } from 'express';
import { invalidParameter, resourceNotFound } from '../errors';
import { createAddressConfiguration, updateAddressConfiguration } from '../operations/address-configurations';
import { paginate } from '../paging';
import { bodyParams, one, pathParam, queryParams } from '../params';
import type { AddressConfigurationRecord } from '../records';
import { ADDRESS_CONFIGURATIONS_URL, renderAddressConfiguration } from '../resources/address-configuration';
import { created, noContent, ok, type RouteDeps, twilioRoute } from '../route';

/**
 * Conversations address configurations (`/v1/Configuration/Addresses`): create, list (filter `Type`, at most 50 a page
 * as the OAI says), fetch, update and delete by SID or by address. A contact's text to a configured address with
 * auto-creation on opens a conversation (`/_emulator/inbound`).
 */
export function addressConfigurationRoutes({ accountSid, store, faults }: RouteDeps): Router {
  const router = Router();
  const render = (a: AddressConfigurationRecord) => renderAddressConfiguration(accountSid, store.defaultServiceSid, a);
  const resolve = (req: Request) => {
    const sid = pathParam(req, 'Sid');
    const configuration = store.findAddressConfiguration(sid);
    if (!configuration) throw resourceNotFound(`/Configuration/Addresses/${sid}`);
    return configuration;
  };

  router.post(
    '/',
    twilioRoute(faults, 'address-configurations.create', (req) => created(render(createAddressConfiguration(store, bodyParams(req))))),
  );
  router.get(
    '/',
    twilioRoute(faults, 'address-configurations.list', (req) => {
      const query = queryParams(req);
      const type = one(query, 'Type');
      if (type !== undefined && type !== 'sms' && type !== 'whatsapp') throw invalidParameter('Type', 'must be sms or whatsapp');
      const items = [...store.addressConfigurations.values()].filter((a) => type === undefined || a.type === type);
      const filters: [string, string][] = type === undefined ? [] : [['Type', type]];
      const options = { url: ADDRESS_CONFIGURATIONS_URL, key: 'address_configurations', filters, maxPageSize: 50 };
      return ok(paginate(items, query, options, render));
    }),
  );
  router.get('/:Sid', twilioRoute(faults, 'address-configurations.fetch', (req) => ok(render(resolve(req)))));
  router.post(
    '/:Sid',
    twilioRoute(faults, 'address-configurations.update', (req) => {
      const configuration = resolve(req);
      updateAddressConfiguration(store, configuration, bodyParams(req));
      return ok(render(configuration));
    }),
  );
  router.delete(
    '/:Sid',
    twilioRoute(faults, 'address-configurations.delete', (req) => {
      store.addressConfigurations.delete(resolve(req).sid);
      return noContent;
    }),
  );
  return router;
}
