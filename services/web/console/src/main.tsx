import { render } from 'preact';
import '../../public/assets/site.css';
import { App } from './app';
import { lang } from './i18n';

document.documentElement.lang = lang();
render(<App />, document.getElementById('app')!);
