import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { AppLayout } from './components/AppLayout.js';
import { AccountPage } from './pages/Account.js';
import { CheckEmailPage } from './pages/CheckEmail.js';
import { DetectPage } from './pages/Detect.js';
import { ForgotPasswordPage } from './pages/ForgotPassword.js';
import { HistoryPage } from './pages/History.js';
import { HomePage } from './pages/Home.js';
import { NotFoundPage } from './pages/NotFound.js';
import { ResetPasswordPage } from './pages/ResetPassword.js';
import { SignInPage } from './pages/SignIn.js';
import { SignUpPage } from './pages/SignUp.js';
import { VerifyEmailPage } from './pages/VerifyEmail.js';
import { RequireAuth } from './session/RequireAuth.js';

// The charts library is large: load it only when Stats is opened. (Its path is /statistics
// because GET /stats is emotion-api's JSON route on the same origin.)
const StatsPage = lazy(() => import('./pages/Stats.js').then((module) => ({ default: module.StatsPage })));

const loading = (
  <Center h="40vh">
    <Loader aria-label="Loading" />
  </Center>
);

export function App() {
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      <Route path="/sign-up" element={<SignUpPage />} />
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/check-email" element={<CheckEmailPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route path="/detect" element={<DetectPage />} />
        <Route path="/history" element={<HistoryPage />} />
        <Route
          path="/statistics"
          element={
            <Suspense fallback={loading}>
              <StatsPage />
            </Suspense>
          }
        />
        <Route path="/account" element={<AccountPage />} />
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
