# Expected learning rates for lr-scheduler.test.ts: PyTorch's recursive ("chainable") scheduler rules,
# transcribed from its documented formulas, independent of the closed forms the TypeScript evaluates.
# Run: python3 packages/nn/scripts/scheduler-reference.py  (prints the JSON the test embeds)
import math, json
def step_lr(lr, step, gamma, n):
    out=[lr]; cur=lr
    for e in range(1,n):
        if e % step == 0: cur*=gamma
        out.append(cur)
    return out
def multistep(lr, ms, gamma, n):
    out=[lr]; cur=lr
    for e in range(1,n):
        if e in ms: cur*=gamma**ms.count(e)
        out.append(cur)
    return out
def expo(lr,g,n):
    out=[lr];cur=lr
    for e in range(1,n): cur*=g; out.append(cur)
    return out
def cosine(base, tmax, emin, n, start=None):
    cur = base if start is None else start
    out=[cur]
    for e in range(1,n):
        if (e-1-tmax)%(2*tmax)==0:
            cur = cur + (base-emin)*(1-math.cos(math.pi/tmax))/2
        else:
            cur = (1+math.cos(math.pi*e/tmax))/(1+math.cos(math.pi*(e-1)/tmax))*(cur-emin)+emin
        out.append(cur)
    return out
def linear(base, sf, ef, ti, n):
    cur=base*sf; out=[cur]
    for e in range(1,n):
        if e<=ti: cur = cur*(1.0+(ef-sf)/(ti*sf+(e-1)*(ef-sf)))
        out.append(cur)
    return out
def onecycle(maxlr,total,pct=0.3,div=25,fdiv=1e4,three=False,anneal='cos'):
    init=maxlr/div; mn=init/fdiv
    if three:
        ph=[(pct*total-1,init,maxlr),(2*pct*total-2,maxlr,init),(total-1,init,mn)]
    else:
        ph=[(pct*total-1,init,maxlr),(total-1,maxlr,mn)]
    f=(lambda s,e,p: e+(s-e)/2*(math.cos(math.pi*p)+1)) if anneal=='cos' else (lambda s,e,p:(e-s)*p+s)
    out=[]
    for step in range(total):
        ss=0.0
        for i,(es,a,b) in enumerate(ph):
            if step<=es or i==len(ph)-1:
                out.append(f(a,b,(step-ss)/(es-ss))); break
            ss=es
    return out
def plateau(lr, metrics, mode='min', factor=0.1, patience=2, threshold=1e-4, tmode='rel', cooldown=1, minlr=0.0, eps=1e-8):
    best = math.inf if mode=='min' else -math.inf
    bad=0; cd=0; out=[]
    for m in metrics:
        if mode=='min': better = m < best*(1-threshold) if tmode=='rel' else m < best-threshold
        else: better = m > best*(threshold+1) if tmode=='rel' else m > best+threshold
        if better: best=m; bad=0
        else: bad+=1
        if cd>0: cd-=1; bad=0
        if bad>patience:
            new=max(lr*factor,minlr)
            if lr-new>eps: lr=new
            cd=cooldown; bad=0
        out.append(lr)
    return out
def seq_warm_cos(base, sf, ti, tmax, n):
    # SequentialLR([LinearLR(sf, total_iters=ti), CosineAnnealingLR(tmax)], milestones=[ti])
    warm = linear(base, sf, 1.0, ti, ti)
    cos = cosine(base, tmax, 0.0, n-ti)
    return warm + cos
r = {
 'step': step_lr(0.05, 3, 0.1, 10),
 'multistep': multistep(0.05, [2,5], 0.1, 8),
 'expo': expo(0.1, 0.9, 6),
 'cosine': cosine(0.1, 4, 0.001, 11),
 'linear': linear(0.1, 0.25, 1.0, 4, 7),
 'onecycle': onecycle(0.1, 10),
 'onecycle3': onecycle(0.1, 12, three=True),
 'onecycleLin': onecycle(0.1, 10, anneal='linear'),
 'plateau': plateau(1.0, [5,4,4,4,4,4,3.9999,4,4,4,4]),
 'seq': seq_warm_cos(0.1, 0.1, 3, 5, 9),
}
print(json.dumps(r))
