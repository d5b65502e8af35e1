import { type ComponentType, lazy } from 'react';
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout.js';
import { PageLoader } from './components/PageLoader.js';
import { HomePage } from './pages/Home.js';
import { RequireAuth } from './session/RequireAuth.js';

/**
 * Every page but the landing page is its own chunk, loaded when first opened: the landing page
 * carries no chart library (Stats), no dropzone or camera code (Detect).
 */
function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  const Page: ComponentType = lazy(async () => ({ default: (await load())[name] as ComponentType }));
  return (
    <PageLoader>
      <Page />
    </PageLoader>
  );
}

const pages = {
  signUp: lazyPage(() => import('./pages/SignUp.js'), 'SignUpPage'),
  signIn: lazyPage(() => import('./pages/SignIn.js'), 'SignInPage'),
  checkEmail: lazyPage(() => import('./pages/CheckEmail.js'), 'CheckEmailPage'),
  verifyEmail: lazyPage(() => import('./pages/VerifyEmail.js'), 'VerifyEmailPage'),
  forgotPassword: lazyPage(() => import('./pages/ForgotPassword.js'), 'ForgotPasswordPage'),
  resetPassword: lazyPage(() => import('./pages/ResetPassword.js'), 'ResetPasswordPage'),
  detect: lazyPage(() => import('./pages/Detect.js'), 'DetectPage'),
  history: lazyPage(() => import('./pages/History.js'), 'HistoryPage'),
  stats: lazyPage(() => import('./pages/Stats.js'), 'StatsPage'),
  account: lazyPage(() => import('./pages/Account.js'), 'AccountPage'),
  notFound: lazyPage(() => import('./pages/NotFound.js'), 'NotFoundPage'),
};

export function App() {
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      <Route path="/sign-up" element={pages.signUp} />
      <Route path="/sign-in" element={pages.signIn} />
      <Route path="/check-email" element={pages.checkEmail} />
      <Route path="/verify-email" element={pages.verifyEmail} />
      <Route path="/forgot-password" element={pages.forgotPassword} />
      <Route path="/reset-password" element={pages.resetPassword} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route path="/detect" element={pages.detect} />
        <Route path="/history" element={pages.history} />
        {/* /statistics, because GET /stats is emotion-api's JSON route on the same origin. */}
        <Route path="/statistics" element={pages.stats} />
        <Route path="/account" element={pages.account} />
      </Route>
      <Route path="*" element={pages.notFound} />
    </Routes>
  );
}
