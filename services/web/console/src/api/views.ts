// Saved queue views of the officer API (ADR 0078), typed from the same generated OpenAPI
// document as the rest of the client.
import { call, type Json } from './client';

export type SavedView = Json<'ViewsController_save', 201>;
export type SavedViewFilters = SavedView['filters'];

export const viewsApi = {
  list: () => call<Json<'ViewsController_list'>>('/views'),
  /** The same name again (any case) replaces that view's filters. */
  save: (name: string, filters: SavedViewFilters) =>
    call<SavedView>('/views', { method: 'POST', json: { name, filters } }),
  remove: (id: string) => call<null>(`/views/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
