import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, type Schemas } from '@/api/client';
import { unwrap } from '@/api/errors';

type TokenPair = Schemas['TokenPairDto'];
type Me = Schemas['MeDto'];

const STORAGE_KEY = 'flowdesk.session';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  staffId: string;
  mustChangePassword: boolean;
}

function readStored(): StoredSession | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return null;
  }
}

/** Tokens (kept in localStorage across reloads), the caller's profile and permissions. */
export const useSessionStore = defineStore('session', () => {
  const stored = readStored();
  const accessToken = ref<string | null>(stored?.accessToken ?? null);
  const refreshToken = ref<string | null>(stored?.refreshToken ?? null);
  const staffId = ref<string | null>(stored?.staffId ?? null);
  const mustChangePassword = ref(stored?.mustChangePassword ?? false);
  const me = ref<Me | null>(null);

  const signedIn = computed(() => accessToken.value !== null);
  const permissions = computed(() => new Set(me.value?.permissions ?? []));
  const displayName = computed(() => me.value?.profile.realName || me.value?.profile.account || '');

  function persist(): void {
    if (!accessToken.value || !refreshToken.value || !staffId.value) {
      globalThis.localStorage?.removeItem(STORAGE_KEY);
      return;
    }
    const value: StoredSession = {
      accessToken: accessToken.value,
      refreshToken: refreshToken.value,
      staffId: staffId.value,
      mustChangePassword: mustChangePassword.value,
    };
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(value));
  }

  function adopt(pair: TokenPair): void {
    accessToken.value = pair.accessToken;
    refreshToken.value = pair.refreshToken;
    staffId.value = pair.staffId;
    mustChangePassword.value = pair.mustChangePassword;
    persist();
  }

  function clear(): void {
    accessToken.value = null;
    refreshToken.value = null;
    staffId.value = null;
    mustChangePassword.value = false;
    me.value = null;
    persist();
  }

  function hasPermission(code: string): boolean {
    return permissions.value.has('*') || permissions.value.has(code);
  }

  async function login(account: string, password: string): Promise<void> {
    adopt(unwrap(await api.POST('/api/v1/auth/login', { body: { account, password } })));
    await loadMe();
  }

  async function loadMe(): Promise<Me> {
    me.value = unwrap(await api.GET('/api/v1/me'));
    mustChangePassword.value = me.value.mustChangePassword;
    persist();
    return me.value;
  }

  let refreshing: Promise<boolean> | null = null;
  /** One refresh at a time: concurrent 401s wait for the same rotation (refresh tokens are single-use). */
  function refresh(): Promise<boolean> {
    if (refreshing) return refreshing;
    const token = refreshToken.value;
    if (!token) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const { data, response } = await api.POST('/api/v1/auth/refresh', { body: { refreshToken: token } });
        if (!response.ok || !data) return false;
        adopt(data.data);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function logout(): Promise<void> {
    if (accessToken.value) await api.POST('/api/v1/auth/logout').catch(() => undefined);
    clear();
  }

  async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
    adopt(unwrap(await api.POST('/api/v1/auth/password', { body: { oldPassword, newPassword } })));
    await loadMe();
  }

  return {
    accessToken,
    refreshToken,
    staffId,
    mustChangePassword,
    me,
    signedIn,
    displayName,
    hasPermission,
    login,
    loadMe,
    refresh,
    logout,
    changePassword,
    clear,
  };
});
