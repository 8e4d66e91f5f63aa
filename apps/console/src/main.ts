import 'element-plus/dist/index.css';
import './styles.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { installTransportHooks } from '@/api/transport';
import { acceptLanguage, i18n } from '@/locales';
import { router } from '@/router';
import { useServiceStore } from '@/stores/service';
import { useSessionStore } from '@/stores/session';
import App from './App.vue';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n);

const session = useSessionStore(pinia);
const service = useServiceStore(pinia);
installTransportHooks({
  accessToken: () => session.accessToken,
  refresh: () => session.refresh(),
  signedOut: () => {
    session.clear();
    const current = router.currentRoute.value;
    if (!current.meta.public) void router.replace({ name: 'login', query: { redirect: current.fullPath } });
  },
  language: acceptLanguage,
  serviceStatus: (code, path) => service.report(code, path),
});

app.use(router);
app.mount('#app');
