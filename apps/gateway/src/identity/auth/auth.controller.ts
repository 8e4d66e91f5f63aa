import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { ApiEnvelope, PlatformController } from '@app/common';
import { AllowPendingPasswordChange, CurrentPrincipal, type Principal, Public, StaffOnly } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ChangePasswordDto, LoginDto, RefreshDto, TokenPairDto } from './auth.dto';
import { AuthService } from './auth.service';

@PlatformController('auth', 'identity: auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with phone number or account name + password (S000-01, S001-10)',
    description:
      'Unknown account, wrong password and an account without a password all answer 4004 BAD_CREDENTIALS. ' +
      'A disabled account answers 4002 (only to the right password). Rate-limited per IP and per account: 429.',
  })
  @ApiEnvelope(TokenPairDto, {
    errors: [ErrorCode.InvalidToken, ErrorCode.AccountDisabled, ErrorCode.TooManyRequests],
  })
  login(@Body() dto: LoginDto, @RequestClient() client: ClientContext): Promise<TokenPairDto> {
    return this.auth.login(dto, client);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'New access + refresh token for a refresh token (single use; a reused one ends the session)',
  })
  @ApiEnvelope(TokenPairDto, { errors: [ErrorCode.InvalidToken, ErrorCode.AccountDisabled] })
  refresh(@Body() dto: RefreshDto, @RequestClient() client: ClientContext): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, client);
  }

  @Post('logout')
  @StaffOnly()
  @AllowPendingPasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: this session’s access and refresh tokens stop working (S001-11)' })
  @ApiEnvelope(null, { errors: [ErrorCode.InvalidToken] })
  logout(@CurrentPrincipal() principal: Principal, @RequestClient() client: ClientContext): Promise<void> {
    return this.auth.logout(principal, client);
  }

  @Post('password')
  @StaffOnly()
  @AllowPendingPasswordChange()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change own password, old + new (S000-02, S001-12)',
    description:
      'Ends every session of the member (tokens issued before are refused with 4004) and answers with a ' +
      'fresh session for the caller. A wrong old password is 4101 and counts against the sign-in limit.',
  })
  @ApiEnvelope(TokenPairDto, { errors: [ErrorCode.InvalidToken, ErrorCode.TooManyRequests] })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @RequestClient() client: ClientContext,
  ): Promise<TokenPairDto> {
    return this.auth.changePassword(principal, dto, client);
  }
}
