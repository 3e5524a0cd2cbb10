using MediatR;
using Ticketing.Domain.Orders;

namespace Ticketing.Application.Payments;

/// <summary>
/// The cancellation terms an order gets when it is paid (snapshotted onto it then): fans may cancel until
/// <see cref="CancellationPolicyDto.CutoffMinutes"/> before the show, for the fee of the tier they cancel in.
/// Shown before a fan pays.
/// </summary>
public sealed record GetCancellationPolicy : IRequest<CancellationPolicyDto>;

public sealed record CancellationPolicyDto(int CutoffMinutes, IReadOnlyList<RefundTierDto> Schedule);

public sealed class GetCancellationPolicyHandler : IRequestHandler<GetCancellationPolicy, CancellationPolicyDto>
{
    public Task<CancellationPolicyDto> Handle(GetCancellationPolicy request, CancellationToken cancellationToken) =>
        Task.FromResult(new CancellationPolicyDto(
            (int)RefundSchedule.CancellationCutoff.TotalMinutes,
            RefundSchedule.Standard.Tiers.Select(t => new RefundTierDto(t.DaysBefore, t.FeePercent)).ToList()));
}
